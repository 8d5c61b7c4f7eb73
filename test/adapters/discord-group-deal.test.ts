import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupDealDesk } from '../../adapters/discord/group-deal-desk.ts';
import { DiscordGroupDealNotifier } from '../../adapters/discord/group-deal-notifier.ts';
import { createDiscordRest } from '../../adapters/discord/rest.ts';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { ManualClock } from '../../src/shared/time.ts';
import { FakeDiscord } from '../fakes/discord-api.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const CHANNEL = '550000000000000001';
const STAFF = '300000000000000009';
const HOUR = 3600_000;
type Body = { content?: string; components?: { components: { custom_id?: string; label?: string; url?: string }[] }[] };
const buttonsOf = (b: unknown) => ((b as Body).components ?? []).flatMap((r) => r.components);

/**
 * The Discord desk and notifier against the fake REST server. (Interactions
 * reach the desk through plans.ts once interactions.ts passes it in.)
 */
describe.each(databases)(`Discord group buying (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let fake: FakeDiscord;
  let desk: GroupDealDesk;
  let store: StoreRecord;
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  const en = translator('en');

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    t = await createTestApp(kind, { clock });
    await seedDemoStore(t.container.services.catalog);
    store = await t.container.services.catalog.store('demo');
    const { groupDeals, customers } = t.container.services;
    const notifier = new DiscordGroupDealNotifier();
    notifier.attach({ rest: createDiscordRest({ apiRoot: fake.url, token: 'test-bot-token', retries: 0 }), customers, locale: 'en', log: t.container.log });
    groupDeals.addNotifier(notifier);
    desk = new GroupDealDesk({ deals: groupDeals, customers, clock, log: t.container.log });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('posts the deal to the channel; Join / Leave per user, idempotent; refused after the deadline; success orders for each joiner with a Pay link by DM', async () => {
    const staffAnswer = await desk.command(store, STAFF, { product: 'MUG-LARGE', price: '10', people: 2, duration: '1d', channel: CHANNEL });
    expect(staffAnswer.content).toMatch(/^Posted in <#550000000000000001>/);
    const post = await fake.waitFor('POST', new RegExp(`^/channels/${CHANNEL}/messages$`));
    expect((post.body as Body).content).toMatch(/Group deal: Large Coffee Mug\n€10\.00 instead of €16\.00 when 2 people join\.\nJoined: 0\/2/);
    const [join, leave] = buttonsOf(post.body);
    expect([join?.label, leave?.label]).toEqual(['🤝 Join', 'Leave']);

    const ann = { id: '310000000000000001', locale: 'en' };
    const bo = { id: '310000000000000002', locale: 'zh-CN' };
    expect((await desk.button(store, ann, join?.custom_id ?? '', en)).content).toMatch(/You're in \(1\/2\)/);
    const edit = await fake.waitFor('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/`));
    expect((edit.body as Body).content).toMatch(/Joined: 1\/2/);
    expect((await desk.button(store, ann, join?.custom_id ?? '', en)).content).toMatch(/already joined/);
    expect((await desk.button(store, bo, leave?.custom_id ?? '', translator('zh-CN'))).content).toMatch(/没有参加/);
    expect((await desk.button(store, bo, join?.custom_id ?? '', translator('zh-CN'))).content).toMatch(/已参团（2\/2）/);
    expect((await desk.button(store, { id: '310000000000000003', locale: 'en' }, 'gd:forged:j', en)).content).toMatch(/has ended/);

    clock.advance(25 * HOUR);
    expect((await desk.button(store, { id: '310000000000000004', locale: 'en' }, join?.custom_id ?? '', en)).content).toMatch(/has ended/);
    const [a, b] = await Promise.all([t.container.services.groupDeals.tick(), t.container.services.groupDeals.tick()]);
    expect(a.closed + b.closed).toBe(1);
    for (const user of [ann, bo]) {
      const dm = await fake.waitFor('POST', new RegExp(`^/channels/dm-${user.id}/messages$`));
      expect((dm.body as Body).content).toMatch(user === ann ? /Your order #\d+ is reserved at the group price of €10\.00/ : /拼团成功！你的订单 #\d+ 已按团购价/);
      expect(buttonsOf(dm.body)[0]?.url).toMatch(/\/pay\/demo\//);
    }
    expect(fake.find('POST', /^\/channels\/dm-/)).toHaveLength(2);
    const orders = (await t.call('GET', '/api/v1/stores/demo/orders?limit=50', undefined, adminHeaders)).body.items as { total: { amount: number }; channel: string; status: string }[];
    expect(orders.filter((o) => o.total.amount === 1000 && o.channel === 'discord' && o.status === 'pending_payment')).toHaveLength(2);
    const closed = await fake.waitFor('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/`), (c) => /reached with 2 people/.test(String((c.body as Body).content)));
    expect(buttonsOf(closed.body)).toEqual([]);
  });

  it('failure: nobody is charged and each joiner is told', async () => {
    await desk.command(store, STAFF, { product: 'MUG-ENAMEL', price: '9', people: 3, duration: '2h', channel: CHANNEL });
    const post = await fake.waitFor('POST', new RegExp(`^/channels/${CHANNEL}/messages$`), (c) => /Enamel/.test(String((c.body as Body).content)));
    const user = { id: '320000000000000001', locale: 'en' };
    await desk.button(store, user, buttonsOf(post.body)[0]?.custom_id ?? '', en);
    const before = (await t.call('GET', '/api/v1/stores/demo/orders?limit=100', undefined, adminHeaders)).body.items.length;
    clock.advance(3 * HOUR);
    await t.container.services.groupDeals.tick();
    const dm = await fake.waitFor('POST', new RegExp(`^/channels/dm-${user.id}/messages$`));
    expect((dm.body as Body).content).toMatch(/did not reach enough people\. Nobody is charged/);
    expect((await t.call('GET', '/api/v1/stores/demo/orders?limit=100', undefined, adminHeaders)).body.items.length).toBe(before);
  });
});
