import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegram } from '../../adapters/telegram/index.ts';
import { buttonsOf, FakeTelegramApi } from '../fakes/telegram-bot-api.ts';
import { databases } from '../helpers/test-app.ts';
import { Chat, labels, newUser, SECRET, STAFF_ID, startHarness, textOf, type Harness } from './telegram-harness.ts';

describe.each(databases)('Telegram channel, long polling (%s)', (kind) => {
  let h: Harness;
  let storeId: string;
  const chat = (lang = 'en') => new Chat(h.fake, newUser(lang));

  beforeAll(async () => {
    h = await startHarness(kind);
    storeId = (await h.t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => h.close());

  it('checks the token, registers the commands and polls', async () => {
    expect(h.fake.callsTo('getMe')).toHaveLength(1);
    const [en, zh] = h.fake.callsTo('setMyCommands');
    expect(en?.body.commands.map((c: { command: string }) => c.command)).toEqual(['start', 'help', 'search', 'cart', 'orders', 'subscribe', 'stop', 'privacy', 'invite']);
    expect(zh?.body.language_code).toBe('zh');
    await h.fake.waitForCall('deleteWebhook');
    await h.fake.waitForCall('getUpdates');
  });

  it('refuses a bad token with a clear start-up error', async () => {
    await expect(startTelegram(h.t.container, null, { token: '4242:AAWrongTokenWrongTokenWrongToken' })).rejects.toThrow(/Telegram refused TELEGRAM_BOT_TOKEN \(401/);
  });

  it('deep link → product card → variant → add → cart +/− in place → checkout URL button', async () => {
    const hoodie = await h.t.container.services.catalog.product(storeId, 'classic-hoodie');
    const c = chat();
    const card = await c.next('sendPhoto', c.say(`/start p_${hoodie.id}`));
    expect(card.body.photo).toBe(hoodie.images[0]?.url);
    expect(card.body.parse_mode).toBe('HTML');
    expect(textOf(card)).toMatch(/^<b>Classic Hoodie — €59\.00<\/b>/);
    expect(labels(card)).toEqual(expect.arrayContaining(['red / M', 'View cart']));

    const tapRedM = c.tap(card, 'red / M');
    const chosen = await c.next('editMessageCaption', tapRedM.since);
    expect(chosen.body.message_id).toBe((card.result as { message_id: number }).message_id);
    expect(textOf(chosen)).toContain('red / M');
    expect(labels(chosen)).toEqual(expect.arrayContaining(['Add to cart', 'Add 2']));
    await tapRedM.answered();

    const add = c.tap(chosen, 'Add 2');
    await c.message(add.since, /^Added 2 × Classic Hoodie to your cart\.$/);
    const cart = await c.message(add.since, /Total: €118\.00/);
    expect(textOf(cart)).toMatch(/2 × Classic Hoodie \(red \/ M\) — €118\.00/i);
    expect(labels(cart)).toEqual(expect.arrayContaining(['Checkout', '− Classic Hoodie', '+ Classic Hoodie']));

    const plus = c.tap(cart, '+ Classic Hoodie');
    const edited = await c.next('editMessageText', plus.since);
    expect(edited.body.message_id).toBe((cart.result as { message_id: number }).message_id);
    expect(textOf(edited)).toMatch(/3 × Classic Hoodie \(red \/ M\) — €177\.00/i);
    const toast = await plus.answered();
    expect(toast.body.text).toBe('Classic Hoodie: quantity 3.');
    expect(h.fake.callsTo('sendMessage', c.user.id).slice(plus.since)).toHaveLength(0);

    const pay = c.tap(edited, 'Checkout');
    const checkout = await c.message(pay.since, /^Order #\d+ is reserved for you for 15 minutes\. Total: €177\.00\.$/);
    const [payNow] = buttonsOf(checkout);
    expect(payNow).toMatchObject({ text: 'Pay now', url: expect.stringMatching(/^https:\/\/shop\.example\/pay\/demo\//) });
  });

  it('opens a category from c_<slug>, and the menu for an unknown payload', async () => {
    const c = chat();
    const list = await c.message(c.say('/start c_coffee'), /^<b>Coffee:<\/b>/);
    expect(labels(list)[0]).toMatch(/^1\. /);
    await c.message(c.say('/start p_does-not-exist'), /Welcome to chatshop demo store/);
  });

  it('answers inline queries with products whose Buy button deep-links to the bot', async () => {
    const u = newUser();
    const since = h.fake.calls.length;
    h.fake.push(FakeTelegramApi.inlineUpdate(u, 'hoodie'));
    const answer = await h.fake.waitForCall('answerInlineQuery', { since });
    const results = answer.body.results as { title: string; description: string; thumbnail_url?: string; reply_markup: { inline_keyboard: { text: string; url: string }[][] } }[];
    const hoodie = await h.t.container.services.catalog.product(storeId, 'classic-hoodie');
    const first = results.find((r) => r.title === 'Classic Hoodie');
    expect(first?.description).toMatch(/^€59\.00 · /);
    expect(first?.thumbnail_url).toBe(hoodie.images[0]?.url);
    const buy = first?.reply_markup.inline_keyboard[0]?.[0];
    // The sharer's signed referral, opening the product (followed in telegram-links.test.ts).
    expect(buy?.text).toBe('Buy');
    const payload = new URL(buy?.url ?? '').searchParams.get('start') ?? '';
    expect(buy?.url).toBe(`https://t.me/chatshop_test_bot?start=${payload}`);
    expect(payload).toMatch(new RegExp(`^r-${u.id.toString(36)}-${hoodie.id}-[A-Za-z0-9_-]{12}$`));
    expect(payload.length).toBeLessThanOrEqual(64);
  });

  it('lets staff move an order on; the buyer is told in their language', async () => {
    const buyer = chat('zh-CN');
    const mug = await h.t.container.services.catalog.product(storeId, 'classic-mug');
    const card = await buyer.next('sendPhoto', buyer.say(`/start p_${mug.id}`));
    const add = buyer.press(buttonsOf(card).find((b) => b.callback_data?.startsWith('1a:'))?.callback_data ?? '', card.result as Record<string, unknown>);
    const cart = await buyer.next('sendMessage', add.since, (x) => buttonsOf(x).some((b) => b.callback_data === '1x'));
    const placed = await buyer.next('sendMessage', buyer.press('1x', cart.result as Record<string, unknown>).since, (x) => /#\d+/.test(textOf(x)));
    const number = Number(/#(\d+)/.exec(textOf(placed))?.[1]);
    await h.t.container.services.orders.transition(storeId, String(number), 'paid', 'system');
    await buyer.message(0, new RegExp(`订单 #${number} 有新进展：已付款`));

    const staff = new Chat(h.fake, { id: STAFF_ID, is_bot: false, first_name: 'Sam' });
    const order = await staff.message(staff.say(`/order ${number}`), new RegExp(`^<b>Order #${number}</b> — paid`));
    expect(labels(order)).toEqual(['Mark fulfilled', 'Cancel']);
    const packed = await staff.next('editMessageText', staff.tap(order, 'Mark fulfilled').since);
    expect(labels(packed)).toEqual(['Mark shipped', 'Mark delivered']);
    const tapShip = staff.tap(packed, 'Mark shipped');
    await staff.next('editMessageText', tapShip.since, (x) => textOf(x).includes('— shipped'));
    await buyer.message(tapShip.since, new RegExp(`订单 #${number} 有新进展：已发货`));
    const o = await h.t.container.services.orders.get(storeId, String(number));
    expect(o.status).toBe('shipped');
    expect(o.events.at(-1)?.actor).toBe(`staff:telegram:${STAFF_ID}`);

    const list = await staff.message(staff.say('/orders'), /Latest orders/);
    expect(textOf(list)).toContain(`#${number} · shipped`);
    await staff.message(staff.say('/stock MUG-CLASSIC 25'), /^MUG-CLASSIC: 25 on hand\.$/);
  });

  it('refuses seller commands and buttons to everyone else', async () => {
    const c = chat();
    const before = (await h.t.container.services.catalog.product(storeId, 'classic-mug')).variants[0]?.onHand;
    await c.message(c.say('/stock MUG-CLASSIC 0'), /for the shop staff only/);
    await c.message(c.say('/order 1'), /for the shop staff only/);
    const forged = c.press('S1:1:s', { message_id: 1, date: 0, chat: c.chat });
    const answer = await forged.answered();
    expect(answer.body.text).toBe('Staff only.');
    const mug = await h.t.container.services.catalog.product(storeId, 'classic-mug');
    expect(mug.variants[0]?.onHand).toBe(before);
    await c.message(c.say('/orders'), /no orders yet/);
  });

  it('answers forged callback data politely', async () => {
    const c = chat();
    for (const data of ['garbage', '1a:doesnotexist:1', '1q:nope:2']) {
      const tap = c.press(data, { message_id: 5, date: 0, chat: c.chat });
      const answer = await tap.answered();
      expect(answer.body.text ?? '').toMatch(/expired|^$/);
      await c.message(tap.since, /expired|no longer available/);
    }
  });

  it('marks a user who blocked the bot unreachable and does not retry', async () => {
    const c = chat();
    h.fake.failNext({ method: 'sendMessage', chatId: c.user.id, times: 5, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const since = c.say('show my cart');
    // Updates are handled in order: once the next chat is answered, this one is done.
    const other = chat();
    await other.message(other.say('hi'), /Welcome/);
    expect(h.fake.callsTo('sendMessage', c.user.id).slice(since)).toHaveLength(0);
    expect(h.fake.calls.slice(since).filter((x) => x.method === 'sendMessage' && x.body.chat_id === c.user.id)).toHaveLength(1);
    const customers = await h.t.container.services.customers.list(storeId, { search: c.user.username, limit: 5 });
    const identity = customers.items.flatMap((x) => x.identities).find((i) => i.externalUserId === String(c.user.id));
    expect(identity?.unreachableAt).toBeInstanceOf(Date);
  });

  it('honours 429 retry_after before retrying', async () => {
    const c = chat();
    h.fake.failNext({ method: 'sendMessage', chatId: c.user.id, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const since = c.say('hi');
    const ok = await c.next('sendMessage', since, (x) => !x.error && /Welcome/.test(textOf(x)));
    const attempts = h.fake.calls.slice(since).filter((x) => x.method === 'sendMessage' && x.body.chat_id === c.user.id);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.error?.error_code).toBe(429);
    expect(ok.at - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('handles an update delivered twice once', async () => {
    const c = chat();
    const update = FakeTelegramApi.messageUpdate(c.user, 'hi', c.chat);
    const since = h.fake.calls.length;
    const first = h.fake.push(update);
    h.fake.push(first);
    await c.message(since, /Welcome/);
    const other = chat();
    await other.message(other.say('hi'), /Welcome/);
    expect(h.fake.calls.slice(since).filter((x) => x.method === 'sendMessage' && x.body.chat_id === c.user.id)).toHaveLength(1);
  });

  it('in groups answers only what is addressed to it', async () => {
    const u = newUser();
    const g = new Chat(h.fake, u, { id: -100123, type: 'supergroup', title: 'Friends' });
    const since = g.say('hello everyone');
    g.say('/cart');
    await g.message(g.say('/cart@chatshop_test_bot'), /cart is empty/);
    await g.message(g.say('@chatshop_test_bot mugs'), /Mug/);
    const inGroup = h.fake.calls.slice(since).filter((x) => x.body.chat_id === -100123 && x.method === 'sendMessage');
    expect(inGroup).toHaveLength(2);
  });

  it('answers /stop, /subscribe and /privacy through the engine', async () => {
    const c = chat();
    await c.message(c.say('/stop'), /not subscribed to offers here/);
    await c.message(c.say('/subscribe'), /subscribed to offers/);
    await c.message(c.say('/privacy'), /Offers by message: telegram: subscribed/);
  });
});

describe.each(databases)('Telegram channel, webhook (%s)', (kind) => {
  let h: Harness;
  const post = async (update: object, secret?: string): Promise<Response> =>
    await h.t.app.request('/webhooks/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== undefined && { 'x-telegram-bot-api-secret-token': secret }) },
      body: JSON.stringify(update),
    });
  const sentTo = (chatId: number, since = 0) => h.fake.calls.slice(since).filter((c) => c.body.chat_id === chatId && /^send/.test(c.method));

  beforeAll(async () => {
    h = await startHarness(kind, { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET });
  });
  afterAll(() => h.close());

  it('registers the webhook with its secret and update kinds, and does not poll', () => {
    const [set] = h.fake.callsTo('setWebhook');
    expect(set?.body).toMatchObject({ url: 'https://shop.example/webhooks/telegram', secret_token: SECRET, allowed_updates: ['message', 'callback_query', 'inline_query'] });
    expect(h.fake.callsTo('getUpdates')).toHaveLength(0);
  });

  it('refuses a wrong or missing secret with 401 and no effect', async () => {
    const u = newUser();
    const update = { update_id: h.fake.newUpdateId(), ...FakeTelegramApi.messageUpdate(u, 'hi') };
    const since = h.fake.calls.length;
    expect((await post(update, 'wrong-secret')).status).toBe(401);
    expect((await post(update)).status).toBe(401);
    expect(h.fake.calls.length).toBe(since);
    expect(await h.t.container.jobQueue.pending('telegram-updates')).toBe(0);
    // Nothing was stored or claimed: the genuine delivery of the same update is answered.
    expect((await post(update, SECRET)).status).toBe(200);
    await h.fake.waitForCall('sendMessage', { chatId: u.id, since });
    expect(sentTo(u.id, since).map((c) => textOf(c))).toEqual([expect.stringContaining('Welcome to chatshop demo store')]);
  });

  it('refuses a body that is not an update with 400', async () => {
    expect((await post({ message: { text: 'no update_id' } }, SECRET)).status).toBe(400);
    const res = await h.t.app.request('/webhooks/telegram', { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: '{not json' });
    expect(res.status).toBe(400);
  });

  it('answers a genuine update from the queue', async () => {
    const u = newUser();
    const res = await post({ update_id: h.fake.newUpdateId(), ...FakeTelegramApi.messageUpdate(u, 'cheapest mug') }, SECRET);
    expect(res.status).toBe(200);
    const list = await h.fake.waitForCall('sendMessage', { chatId: u.id });
    expect(textOf(list)).toContain('Classic Mug');
  });

  it('handles the same update delivered concurrently exactly once', async () => {
    const u = newUser();
    const update = { update_id: h.fake.newUpdateId(), ...FakeTelegramApi.messageUpdate(u, 'hi') };
    const statuses = await Promise.all([1, 2, 3, 4].map(() => post(update, SECRET).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200]);
    await h.fake.waitForCall('sendMessage', { chatId: u.id });
    // The four deliveries made one job; a later chat's answer shows the queue moved on.
    expect(await h.t.container.db.job.count({ where: { queue: 'telegram-updates', key: String(update.update_id) } })).toBe(1);
    const other = newUser();
    await post({ update_id: h.fake.newUpdateId(), ...FakeTelegramApi.messageUpdate(other, 'hi') }, SECRET);
    await h.fake.waitForCall('sendMessage', { chatId: other.id });
    expect(sentTo(u.id)).toHaveLength(1);
  });
});
