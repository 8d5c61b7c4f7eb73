import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramMarketingSender } from '../../adapters/telegram/marketing-sender.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { buttonsOf } from '../fakes/telegram-bot-api.ts';
import { databases, pgSkipReason } from '../helpers/test-app.ts';
import { Chat, newUser, STAFF_ID, startHarness, type Harness } from './telegram-harness.ts';

describe.each(databases)(`Telegram seller: /promo and /broadcast (%s)${pgSkipReason}`, (kind) => {
  let h: Harness;
  let seller: Chat;

  beforeAll(async () => {
    h = await startHarness(kind, { MARKETING_QUIET_HOURS: 'off' });
    seller = new Chat(h.fake, { id: STAFF_ID, is_bot: false, first_name: 'Sam', username: 'sam' });
  });
  afterAll(() => h.close());

  it('creates, lists and switches off a code; tells what it cannot read; shoppers apply it with /promo', async () => {
    const made = await seller.message(seller.say('/promo WINTER20 20% on drinkware min 20 until 2099-12-31 limit 100'), /^Created:/);
    expect(String(made.body.text)).toMatch(/WINTER20 · 20% off · on 1 category · min 20\.00 EUR · until 2099-12-31 · 0\/100 used/);
    await seller.message(seller.say('/promo SPRING 20 percent'), /"20" is not a discount/);
    await seller.message(seller.say('/promo BAD 10% on nowhere'), /no category or product "nowhere"/);
    await seller.message(seller.say('/promo WINTER20 5%'), /already exists/);
    await seller.message(seller.say('/promos'), /WINTER20 · 20% off .* 0\/100 used/);

    const shopper = new Chat(h.fake, newUser());
    // An empty cart: the code is real but gives nothing yet, and the shopper is told why.
    await shopper.message(shopper.say('/promo WINTER20'), /^Code WINTER20 cannot be used: it does not apply to the items in your cart\.$/);

    await seller.message(seller.say('/promo off winter20'), /WINTER20 .* off$/);
    const refused = new Chat(h.fake, newUser());
    await refused.message(refused.say('/promos'), /staff only/);
  });

  it('composes a broadcast, previews its reach, and sends it on the button', async () => {
    const fan = new Chat(h.fake, newUser('en', 'Fan'));
    await fan.message(fan.say('/subscribe'), /subscribed/);
    await seller.message(seller.say('/broadcast telegram'), /Compose: \/broadcast/);
    const since = seller.say('/broadcast telegram product:classic-mug | Mug week: 10% off every mug');
    await seller.message(since, /^Mug week/);
    const summary = await seller.message(since, /It reaches 1 subscriber/);
    const tap = seller.tap(summary, 'Send to 1');
    const status = await h.fake.waitForCall('editMessageText', { since: tap.since, chatId: STAFF_ID });
    expect(String(status.body.text)).toMatch(/Broadcast to all subscribers on telegram: sending/);
    expect(buttonsOf(status).map((b) => b.text)).toEqual(['Refresh', 'Stop']);

    const sent = h.fake.calls.length;
    await h.t.container.broadcastRunner([new TelegramMarketingSender(h.channel.bot.api, translator('en'))]).tick();
    const offer = await fan.message(sent, /Mug week/);
    expect(buttonsOf(offer).map((b) => b.text)).toEqual([expect.stringMatching(/^Buy · Classic Mug/), 'Unsubscribe']);
    // The status message follows the progress by itself, and loses its buttons when done.
    const followed = await h.fake.waitForCall('editMessageText', { since: sent, chatId: STAFF_ID, test: (c) => /: done/.test(String(c.body.text)) });
    expect(String(followed.body.text)).toMatch(/▓{10} 1\/1/);
    expect(buttonsOf(followed)).toEqual([]);
    const refresh = seller.tap(status, 'Refresh');
    const done = await h.fake.waitForCall('editMessageText', { since: refresh.since, chatId: STAFF_ID });
    expect(String(done.body.text)).toMatch(/: done\n▓{10} 1\/1\nsent 1/);
    await seller.message(seller.say('/broadcasts'), /done/);
  });

  it('/drop posts a product card to a channel with a Buy deep link', async () => {
    const since = seller.say('/drop classic-mug in @mugdeals');
    const post = await h.fake.waitForCall('sendPhoto', { since, chatId: '@mugdeals' });
    expect(String(post.body.caption)).toMatch(/^Classic Mug — /);
    const [buy] = buttonsOf(post);
    expect(buy?.text).toMatch(/^Buy · /);
    expect(buy?.url).toMatch(/^https:\/\/t\.me\/\w+\?start=p_[a-z0-9]+$/);
    await seller.message(since, /^Dropped Classic Mug in @mugdeals\.$/);
    await seller.message(seller.say('/drop nothing-here in @mugdeals'), /no product "nothing-here"/);
    await seller.message(seller.say('/drop classic-mug'), /^Usage: \/drop/);
  });

  it('/sale starts a flash sale with an end and drafts its announcement', async () => {
    await seller.message(seller.say('/sale 15% on drinkware'), /needs an end/);
    const since = seller.say('/sale 15% on drinkware for 6h');
    const created = await seller.message(since, /^Sale on: SALE[0-9A-Z]{5} · 15% off · on 1 category · until /);
    expect(String(created.body.text)).toMatch(/ends by itself; \/promo off SALE[0-9A-Z]{5} stops it early/);
    await seller.message(since, /^🔥 Flash sale: 15% off on drinkware, until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await seller.message(since, /It reaches \d+ subscriber/);
    const sales = await h.t.container.services.promotions.sales((await h.t.container.services.catalog.store('demo')).id);
    expect(sales.map((p) => p.code)).toEqual([expect.stringMatching(/^SALE/)]);
  });
});
