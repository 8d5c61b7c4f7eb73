import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramMarketingSender } from '../../adapters/telegram/marketing-sender.ts';
import { startTelegram, TelegramOrderNotifier, type TelegramChannel } from '../../adapters/telegram/index.ts';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { encodeAction } from '../../src/conversation/actions.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { FakeTelegramApi } from '../fakes/telegram-bot-api.ts';
import { cartWith, checkoutCart, MINUTE, setAutomations, ShiftedClock } from '../helpers/automation-kit.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';
import { Chat, labels, newUser, textOf, TOKEN } from './telegram-harness.ts';

const DAY = 24 * 60 * MINUTE;

describe.each(databases)(`Telegram: marketing messages to act on — cart reminder buttons, review stars (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let fake: FakeTelegramApi;
  let channel: TelegramChannel;
  let storeId = '';
  // The automations' clock moves by hand; the bot and the database run on real time.
  const clock = new ShiftedClock();

  beforeAll(async () => {
    fake = await FakeTelegramApi.start({ token: TOKEN });
    const notifier = new TelegramOrderNotifier();
    t = await createTestApp(kind, {
      clock,
      notifier,
      env: {
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: fake.apiRoot,
        PUBLIC_URL: 'https://shop.example',
        MARKETING_QUIET_HOURS: 'off',
        MARKETING_MAX_PER_DAY: '0',
      },
    });
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
    channel = await startTelegram(t.container, notifier, { sender: { pacing: false, maxRetryAttempts: 2, maxDelaySeconds: 5 } });
  });
  afterAll(async () => {
    await channel.stop();
    await t.close();
    await fake.close();
  });

  const runner = () => t.container.automationRunner([new TelegramMarketingSender(channel.bot.api, translator('en'))]);

  /** A shopper who has talked to the bot (so they can be messaged) and opted in to offers; returns the chat and customer id. */
  const subscribedShopper = async (lang: string, name: string) => {
    const chat = new Chat(fake, newUser(lang, name));
    await chat.next('sendMessage', chat.say('hi'));
    const identity = await t.container.db.channelIdentity.findFirstOrThrow({
      where: { storeId, channel: 'telegram', externalUserId: String(chat.user.id) },
    });
    await t.container.services.consent.subscribe(storeId, identity.customerId, 'telegram', 'test');
    return { chat, customerId: identity.customerId };
  };

  const deliveredOrder = async (customerId: string, sku: string, key: string) => {
    const { order } = (await checkoutCart(t, await cartWith(t, customerId, { [sku]: 1 }), key)) as {
      order: { id: string; number: number };
    };
    for (const to of ['paid', 'fulfilled', 'delivered'] as const)
      expect((await t.container.services.orders.transition(storeId, order.id, to, 'test')).ok).toBe(true);
    return order;
  };

  const reviews = () => t.container.db.productReview.findMany({ where: { storeId }, orderBy: { createdAt: 'asc' } });

  it('the abandoned-cart reminder has View cart and Check out buttons that open the cart and check it out', async () => {
    await setAutomations(t, { abandonedCart: { enabled: true, delayMinutes: 60 } });
    const { chat, customerId } = await subscribedShopper('en', 'Cora');
    await cartWith(t, customerId, { 'MUG-CLASSIC': 2 });
    clock.advance(2 * 60 * MINUTE);
    const since = fake.calls.length;
    await runner().tick();
    const reminder = await chat.message(since, /You left Classic Mug ×2 in your cart/);
    expect(textOf(reminder)).toMatch(/tap View cart below/);
    expect(labels(reminder)).toEqual(['🛒 View cart', 'Check out', expect.stringMatching(/^Buy · Classic Mug · /), 'Unsubscribe']);

    const view = chat.tap(reminder, '🛒 View cart');
    const cart = await chat.message(view.since, /Your cart \(2 items\)/);
    expect(textOf(cart)).toContain('Classic Mug');
    expect(labels(cart)).toContain('Checkout');

    const pay = chat.tap(reminder, 'Check out');
    await chat.message(pay.since, /Order #\d+/);
    const orders = await t.container.db.order.findMany({ where: { storeId, customerId } });
    expect(orders).toHaveLength(1);
    await setAutomations(t, { abandonedCart: { enabled: false } });
  });

  it('a delivered order gets a review request with five stars; ★4 is stored, thanked, shown on the product; a forged star stores nothing', async () => {
    await setAutomations(t, { reviewRequest: { enabled: true, delayDays: 7 } });
    const ann = await subscribedShopper('en', 'Ann');
    const bob = await subscribedShopper('en', 'Bob');
    const order = await deliveredOrder(ann.customerId, 'MUG-CLASSIC', 'ann-review-order');
    const mug = await t.container.services.catalog.product(storeId, 'classic-mug');

    clock.advance(7 * DAY + MINUTE);
    const since = fake.calls.length;
    await runner().tick();
    const request = await ann.chat.message(
      since,
      new RegExp(`How do you like your order #${order.number}\\? Tap the stars to rate Classic Mug`),
    );
    expect(labels(request)).toEqual(['1★', '2★', '3★', '4★', '5★', 'Unsubscribe']);
    const rows = (request.body.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard;
    expect(rows[0]?.map((b) => b.callback_data)).toEqual(
      [1, 2, 3, 4, 5].map((stars) => encodeAction({ op: 'rate', orderId: order.id, productId: mug.id, stars })),
    );
    for (const b of rows.flat()) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    // Bob replays Ann's star in his own chat: refused, nothing stored.
    const forgedData = rows[0]?.[3]?.callback_data ?? '';
    const forged = bob.chat.press(forgedData, { message_id: 4242, date: Math.floor(Date.now() / 1000), chat: bob.chat.chat, text: 'x' });
    await bob.chat.message(forged.since, /not valid for you/);
    // A made-up payload (stars out of range) is a stale button.
    const bogus = bob.chat.press(`1R:${order.id}:${mug.id}:9`, {
      message_id: 4243,
      date: Math.floor(Date.now() / 1000),
      chat: bob.chat.chat,
      text: 'x',
    });
    await bob.chat.next('sendMessage', bogus.since);
    expect(await reviews()).toEqual([]);

    // Ann presses ★4: stored, and she is thanked and offered to add words.
    const tap = ann.chat.tap(request, '4★');
    const thanks = await ann.chat.message(tap.since, /Thanks for rating Classic Mug ★★★★☆!/);
    expect(textOf(thanks)).toMatch(/add a few words/);
    expect(await reviews()).toEqual([
      expect.objectContaining({ productId: mug.id, orderId: order.id, customerId: ann.customerId, rating: 4, text: null }),
    ]);

    // Her next message becomes the review's words.
    const said = ann.chat.say('Lovely mug, keeps the coffee hot.');
    await ann.chat.message(said, /Your words are saved/);
    expect((await reviews())[0]?.text).toBe('Lovely mug, keeps the coffee hot.');
    // Only the very next message: after that, text is shopping again.
    await ann.chat.next('sendMessage', ann.chat.say('hoodie'));
    expect((await reviews())[0]?.text).toBe('Lovely mug, keeps the coffee hot.');

    // The product card now shows the rating.
    // (The product and its photo come as one photo whose caption is the card.)
    const detail = await ann.chat.next('sendPhoto', ann.chat.say(`/start p_${mug.id}`), (c) => /Classic Mug — /.test(textOf(c)));
    expect(textOf(detail)).toMatch(/In stock · ★ 4\.0 \(1 review\)/);
    const found = await ann.chat.message(ann.chat.say('classic mug'), /Classic Mug/);
    expect(textOf(found)).toContain('★ 4.0 (1 review)');

    // Pressing again changes the rating, never a second review; the words stay.
    const again = ann.chat.tap(request, '5★');
    await ann.chat.message(again.since, /Your rating of Classic Mug is now ★★★★★/);
    expect(await reviews()).toEqual([expect.objectContaining({ rating: 5, text: 'Lovely mug, keeps the coffee hot.' })]);

    // The public list.
    const list = await t.call('GET', '/api/v1/stores/demo/products/classic-mug/reviews');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      summary: { average: 5, count: 1 },
      items: [expect.objectContaining({ rating: 5, text: 'Lovely mug, keeps the coffee hot.' })],
      nextCursor: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(ann.customerId);

    // /privacy counts it; /forgetme drops the words and who wrote it, the stars stay.
    await ann.chat.message(ann.chat.say('/privacy'), /Product reviews: 1/);
    const report = await t.container.services.privacy.erase(storeId, ann.customerId, 'test');
    expect(report.reviewsAnonymised).toBe(1);
    expect(await reviews()).toEqual([expect.objectContaining({ rating: 5, text: null, customerId: null })]);
  });

  it('an order of several products: after each rating, the stars for the next one not rated yet', async () => {
    const cy = await subscribedShopper('en', 'Cy');
    const { order } = (await checkoutCart(t, await cartWith(t, cy.customerId, { 'MUG-CLASSIC': 1, 'MUG-ENAMEL': 1 }), 'cy-two-products')) as {
      order: { id: string };
    };
    for (const to of ['paid', 'fulfilled', 'delivered'] as const) expect((await t.container.services.orders.transition(storeId, order.id, to, 'test')).ok).toBe(true);
    const classic = await t.container.services.catalog.product(storeId, 'classic-mug');
    const enamel = (await t.container.db.variant.findFirstOrThrow({ where: { storeId, sku: 'MUG-ENAMEL' }, include: { product: true } })).product;
    const press = (productId: string, stars: number, id: number) =>
      cy.chat.press(encodeAction({ op: 'rate', orderId: order.id, productId, stars }), { message_id: id, date: Math.floor(Date.now() / 1000), chat: cy.chat.chat, text: 'x' });

    const first = press(classic.id, 5, 6161);
    await cy.chat.message(first.since, /Thanks for rating Classic Mug/);
    const next = await cy.chat.message(first.since, new RegExp(`And how do you like ${enamel.title}\\?`));
    expect(labels(next)).toEqual(['1★', '2★', '3★', '4★', '5★']);
    const buttons = (next.body.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
    expect(buttons.find((b) => b.text === '3★')?.callback_data).toBe(encodeAction({ op: 'rate', orderId: order.id, productId: enamel.id, stars: 3 }));

    // The last one: thanked, and nothing more to rate.
    const last = cy.chat.tap(next, '3★');
    await cy.chat.message(last.since, new RegExp(`Thanks for rating ${enamel.title}`));
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls.slice(last.since).map(textOf).filter((x) => /And how do you like/.test(x))).toEqual([]);
    expect(await t.container.db.productReview.count({ where: { orderId: order.id } })).toBe(2);
  });

  it('a product from a catalog import (a UUID id) gets its review stars too, and a star is stored', async () => {
    await setAutomations(t, { reviewRequest: { enabled: true, delayDays: 7 } });
    const csv = ['handle,title,sku,price,stock', 'stoneware-cup,Stoneware Cup,IMP-CUP-1,7.50,20'].join('\n');
    const imported = await t.call('POST', '/api/v1/stores/demo/products/import', csv, { ...adminHeaders, 'content-type': 'text/csv' });
    expect(imported.status).toBe(200);
    const cup = await t.container.services.catalog.product(storeId, 'stoneware-cup');
    expect(cup.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    const dee = await subscribedShopper('en', 'Dee');
    const order = await deliveredOrder(dee.customerId, 'IMP-CUP-1', 'dee-imported-order');

    clock.advance(7 * DAY + MINUTE);
    const since = fake.calls.length;
    await runner().tick();
    const request = await dee.chat.message(since, /Tap the stars to rate Stoneware Cup/);
    // Written out in full, these payloads were 67 bytes: Telegram refuses them, and the buttons were dropped.
    expect(labels(request)).toEqual(['1★', '2★', '3★', '4★', '5★', 'Unsubscribe']);
    const tap = dee.chat.tap(request, '5★');
    await dee.chat.message(tap.since, /Thanks for rating Stoneware Cup ★★★★★!/);
    expect(await t.container.db.productReview.findMany({ where: { orderId: order.id } })).toEqual([expect.objectContaining({ productId: cup.id, rating: 5 })]);
  });

  it('a star on an order that has not arrived is refused; zh-CN shoppers get Chinese texts', async () => {
    const li = await subscribedShopper('zh-CN', 'Li');
    const { order } = (await checkoutCart(t, await cartWith(t, li.customerId, { 'MUG-ENAMEL': 1 }), 'li-order')) as {
      order: { id: string };
    };
    const enamel = await t.container.services.catalog.product(storeId, 'enamel-mug').catch(() => null);
    const productId = enamel?.id ?? (await t.container.db.variant.findFirstOrThrow({ where: { storeId, sku: 'MUG-ENAMEL' } })).productId;
    const tap = li.chat.press(encodeAction({ op: 'rate', orderId: order.id, productId, stars: 3 }), {
      message_id: 5151,
      date: Math.floor(Date.now() / 1000),
      chat: li.chat.chat,
      text: 'x',
    });
    await li.chat.message(tap.since, /订单送达后才能评分/);
    expect(await t.container.db.productReview.count({ where: { orderId: order.id } })).toBe(0);
  });
});
