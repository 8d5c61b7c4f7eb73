import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegram } from '../../adapters/telegram/index.ts';
import { TelegramGroupDealNotifier } from '../../adapters/telegram/group-deal-notifier.ts';
import { telegramDeps } from '../../adapters/telegram/channel.ts';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { ManualClock } from '../../src/shared/time.ts';
import { buttonsOf, FakeTelegramApi, type Json, type RecordedCall } from '../fakes/telegram-bot-api.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type DbKind, type TestApp } from '../helpers/test-app.ts';
import { Chat, newUser, STAFF_ID, TOKEN } from './telegram-harness.ts';

const GROUP: Json = { id: -100777, type: 'supergroup', title: 'Mug fans' };
const HOUR = 3600_000;

describe.each(databases)(`Telegram group buying (%s)${pgSkipReason}`, (kind) => suite(kind, {}));
describe.each(databases)(`Telegram group buying with native invoices (%s)${pgSkipReason}`, (kind) => suite(kind, { TELEGRAM_PAYMENT_PROVIDER_TOKEN: '284685063:TEST:group-deals' }));

function suite(kind: DbKind, env: Record<string, string>) {
  const invoices = Boolean(env.TELEGRAM_PAYMENT_PROVIDER_TOKEN);
  let t: TestApp;
  let fake: FakeTelegramApi;
  let stop: () => Promise<void>;
  let bot: string;
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  const seller = () => new Chat(fake, { id: STAFF_ID, is_bot: false, first_name: 'Sam', username: 'sam' });
  const inGroup = (chat: Chat) => new Chat(fake, chat.user, GROUP);
  const post = (since: number) => fake.waitForCall('sendMessage', { chatId: GROUP.id as number, since, test: (c) => /Group deal/.test(String(c.body.text)) });
  const stock = async (sku: string) => (await t.call('GET', '/api/v1/stores/demo/products/classic-mug')).body.variants.find((v: { sku: string }) => v.sku === sku).stock as { onHand: number; reserved: number };

  beforeAll(async () => {
    fake = await FakeTelegramApi.start({ token: TOKEN });
    t = await createTestApp(kind, { clock, env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, PUBLIC_URL: 'https://shop.example', SELLER_IDS: `telegram:${STAFF_ID}`, ...env } });
    await seedDemoStore(t.container.services.catalog);
    const deals = t.container.services.groupDeals;
    const notifier = new TelegramGroupDealNotifier();
    deals.addNotifier(notifier);
    const channel = await startTelegram(t.container, null, { sender: { pacing: false, maxRetryAttempts: 2, maxDelaySeconds: 5 }, groupDeals: deals });
    notifier.attach({ api: channel.bot.api, deps: telegramDeps(t.container), shop: channel.shop });
    bot = channel.bot.botInfo.username;
    stop = async () => {
      await channel.stop();
      await t.close();
      await fake.close();
    };
  });
  afterAll(() => stop());

  async function startDeal(min: number, hours = 2): Promise<{ post: RecordedCall; id: string }> {
    const staff = inGroup(seller());
    const posted = await post(staff.say(`/groupbuy@${bot} classic-mug 9.00 ${min} for ${hours}h`));
    const id = /^GD:([a-z0-9]+):j$/.exec(buttonsOf(posted)[0]?.callback_data ?? '')?.[1] ?? '';
    expect(id).not.toBe('');
    return { post: posted, id };
  }

  it('posts a deal in the group; joins are per customer and idempotent, leave works, the count is edited in place', async () => {
    const { post: posted, id } = await startDeal(3);
    expect(String(posted.body.text)).toMatch(/Group deal: Classic Mug\n€9\.00 instead of €12\.00 when 3 people join\.\nJoined: 0\/3 · ends 2026-03-01 12:00 UTC/);
    expect(buttonsOf(posted).map((b) => b.text)).toEqual(['🤝 Join', 'Leave']);

    const ann = inGroup(new Chat(fake, newUser()));
    const tap = ann.tap(posted, '🤝 Join');
    expect(String((await tap.answered()).body.text)).toMatch(/You're in \(1\/3\)/);
    const edit = await fake.waitForCall('editMessageText', { chatId: GROUP.id as number, since: tap.since });
    expect(String(edit.body.text)).toMatch(/Joined: 1\/3/);
    expect(String((await ann.tap(posted, '🤝 Join').answered()).body.text)).toMatch(/already joined/);

    clock.advance(5000);
    // The post is in the shop's language; each answer is in the tapper's own.
    const bo = inGroup(new Chat(fake, newUser('zh-CN', 'Bo')));
    expect(String((await bo.tap(posted, '🤝 Join').answered()).body.text)).toMatch(/已参团（2\/3）/);
    clock.advance(5000);
    expect(String((await bo.tap(posted, 'Leave').answered()).body.text)).toMatch(/已退出拼团/);
    expect(String((await bo.tap(posted, 'Leave').answered()).body.text)).toMatch(/没有参加/);
    const deal = await t.call('GET', `/api/v1/stores/demo/group-deals/${id}`, undefined, adminHeaders);
    expect(deal.body).toMatchObject({ joined: 1, minPeople: 3, status: 'open', groupPrice: { amount: 900, currency: 'EUR' } });
  });

  it('success: one order per joiner at the group price, a payment message each; closing twice has one effect', async () => {
    const before = await stock('MUG-CLASSIC');
    const { post: posted, id } = await startDeal(2);
    const joiners = [new Chat(fake, newUser()), new Chat(fake, newUser())];
    for (const j of joiners) await inGroup(j).tap(posted, '🤝 Join').answered();
    clock.advance(2 * HOUR);
    const late = inGroup(new Chat(fake, newUser()));
    expect(String((await late.tap(posted, '🤝 Join').answered()).body.text)).toMatch(/has ended/);

    const since = fake.calls.length;
    const deals = t.container.services.groupDeals;
    const [a, b] = await Promise.all([deals.tick(), deals.tick()]);
    // Due now: this deal and the first test's (both 2 h); two ticks at once close each exactly once.
    expect(a.closed + b.closed).toBe(2);
    expect((await deals.tick()).closed).toBe(0);
    for (const j of joiners) {
      if (invoices) {
        // The payment step as checkout gives it in a private chat: a native invoice for the order's own amount.
        const invoice = await j.next('sendInvoice', since);
        expect(invoice.body).toMatchObject({ currency: 'EUR', prices: [{ amount: 900 }] });
        expect(String(invoice.body.description)).toMatch(/reserved at the group price of €9\.00/);
        continue;
      }
      const msg = await j.message(since, /group deal for Classic Mug was reached! Your order #\d+ is reserved at the group price of €9\.00/);
      expect(buttonsOf(msg)[0]).toMatchObject({ text: 'Pay now', url: expect.stringMatching(/^https:\/\/shop\.example\/pay\/demo\//) });
      expect(fake.callsTo('sendMessage', j.user.id).filter((c) => /was reached/.test(String(c.body.text)))).toHaveLength(1);
    }
    const orders = (await t.call('GET', '/api/v1/stores/demo/orders?limit=50', undefined, adminHeaders)).body.items.filter((o: { channel: string; total: { amount: number } }) => o.total.amount === 900);
    expect(orders).toHaveLength(2);
    expect(orders.every((o: { status: string }) => o.status === 'pending_payment')).toBe(true);
    const after = await stock('MUG-CLASSIC');
    expect(after.reserved - before.reserved).toBe(2);
    const closedPost = await fake.waitForCall('editMessageText', { chatId: GROUP.id as number, since, test: (c) => /reached with 2 people/.test(String(c.body.text)) });
    expect(buttonsOf(closedPost)).toEqual([]);
    expect((await t.call('GET', `/api/v1/stores/demo/group-deals/${id}`, undefined, adminHeaders)).body.status).toBe('succeeded');
  });

  it('failure: not reached, everyone told, nobody charged', async () => {
    const ordersBefore = (await t.call('GET', '/api/v1/stores/demo/orders?limit=100', undefined, adminHeaders)).body.items.length;
    const { post: posted } = await startDeal(3);
    const only = new Chat(fake, newUser());
    await inGroup(only).tap(posted, '🤝 Join').answered();
    clock.advance(3 * HOUR);
    const since = fake.calls.length;
    await t.container.services.groupDeals.tick();
    await only.message(since, /did not reach enough people\. Nobody is charged/);
    expect((await t.call('GET', '/api/v1/stores/demo/orders?limit=100', undefined, adminHeaders)).body.items.length).toBe(ordersBefore);
  });

  it('refuses non-staff, reads the private-chat form, and refuses forged buttons', async () => {
    const stranger = new Chat(fake, newUser());
    await inGroup(stranger).message(inGroup(stranger).say(`/groupbuy@${bot} classic-mug 1.00 2 for 2h`), /staff only/);
    const s = seller();
    await s.message(s.say('/groupbuy classic-mug 9.00 2 for 2h'), /name the group or channel/);
    await s.message(s.say('/groupbuy classic-mug 13.00 2 for 2h in -100777'), /below the normal price/);
    await s.message(s.say('/groupbuy classic-hoodie 9.00 2 for 2h in -100777'), /several variants; name one SKU/);
    const since = s.say('/groupbuy classic-mug 9.00 2 for 1d in -100777');
    await s.message(since, /^Posted to -100777/);
    await post(since);

    const forger = inGroup(new Chat(fake, newUser()));
    const list = async () => (await t.call('GET', '/api/v1/stores/demo/group-deals', undefined, adminHeaders)).body.items as { joined: number }[];
    const joinedBefore = (await list()).reduce((n, d) => n + d.joined, 0);
    for (const data of ['GD:doesnotexist:j', 'GD:abc:x', 'GD:../../etc:j']) {
      expect(String((await forger.press(data, undefined).answered()).body.text)).toMatch(/has ended/);
    }
    expect((await list()).reduce((n, d) => n + d.joined, 0)).toBe(joinedBefore);
  });
}
