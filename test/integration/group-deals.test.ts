import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { ManualClock } from '../../src/shared/time.ts';
import type { GroupDealNotifier } from '../../src/marketing/group-deal.ports.ts';
import type { MemberNotice } from '../../src/marketing/group-deal.types.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const HOUR = 3600_000;

/** Group deals through REST and the service: validation, concurrent joins, stock, and closing exactly once. */
describe.each(databases)(`group deals: REST and closing (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let storeId: string;
  const clock = new ManualClock(new Date('2026-04-01T08:00:00Z'));
  const notices: { user: string; notice: MemberNotice['kind'] }[] = [];
  const recorder: GroupDealNotifier = {
    post: (deal) => Promise.resolve(deal.channel === 'telegram' ? `m-${deal.id}` : null),
    dealChanged: () => Promise.resolve(),
    memberClosed: (_deal, member, notice) => Promise.resolve(void notices.push({ user: member.externalUserId, notice: notice.kind })),
  };
  const deals = () => t.container.services.groupDeals;
  const customer = async (n: number) => (await t.container.services.customers.identify(storeId, { channel: 'telegram', externalUserId: String(n) })).id;
  const create = (body: object, headers: Record<string, string> = adminHeaders) =>
    t.call('POST', '/api/v1/stores/demo/group-deals', { channel: 'telegram', chatId: '-100555', endsAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString(), ...body }, headers);

  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
    deals().addNotifier(recorder);
  }, 60_000);
  afterAll(() => t.close());

  it('creates, lists and gets deals for admins only, with every problem named', async () => {
    expect((await create({ product: 'classic-mug', groupPrice: 900, minPeople: 2 }, { 'content-type': 'application/json' })).status).toBe(401);
    const bad = await create({ product: 'classic-mug', groupPrice: 1500, minPeople: 50 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/below the normal price.*only 40 in stock/);
    expect((await create({ product: 'no-such-thing', groupPrice: 100, minPeople: 2 })).status).toBe(404);
    const made = await create({ product: 'classic-mug', groupPrice: 900, minPeople: 2 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ posted: true, deal: { sku: 'MUG-CLASSIC', groupPrice: { amount: 900, currency: 'EUR' }, regularPrice: { amount: 1200 }, joined: 0, status: 'open' } });
    expect(made.body.deal.messageId).toBe(`m-${made.body.deal.id}`);
    expect((await t.call('GET', '/api/v1/stores/demo/group-deals', undefined, adminHeaders)).body.items[0].id).toBe(made.body.deal.id);
    expect((await t.call('GET', `/api/v1/stores/demo/group-deals/${made.body.deal.id}`, undefined, adminHeaders)).body.minPeople).toBe(2);
    expect((await t.call('GET', '/api/v1/stores/demo/group-deals/nope', undefined, adminHeaders)).status).toBe(404);
  });

  it('the same customer joining many times at once is one member; stock short refuses a join', async () => {
    const deal = (await create({ product: 'MUG-ESPRESSO', groupPrice: 1000, minPeople: 2 })).body.deal as { id: string };
    const who = { customerId: await customer(1), channel: 'telegram' as const, externalUserId: '1' };
    const results = await Promise.all(Array.from({ length: 8 }, () => deals().join(deal.id, who)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.value.changed)).toHaveLength(1);
    expect((await deals().byId(deal.id))?.joined).toBe(1);

    await t.call('PUT', '/api/v1/stores/demo/inventory/MUG-ESPRESSO', { onHand: 1 }, adminHeaders);
    const refused = await deals().join(deal.id, { customerId: await customer(2), channel: 'telegram', externalUserId: '2' });
    expect(refused).toMatchObject({ ok: false, code: 'INSUFFICIENT_STOCK' });
    await t.call('PUT', '/api/v1/stores/demo/inventory/MUG-ESPRESSO', { onHand: 15 }, adminHeaders);
  });

  it('closes once under concurrent ticks; a joiner left without stock is told and not charged', async () => {
    clock.advance(3 * HOUR);
    await deals().tick();
    notices.length = 0;
    const deal = (await create({ product: 'BOTTLE-GLASS', groupPrice: 1500, minPeople: 3 })).body.deal as { id: string };
    for (const n of [10, 11, 12]) expect((await deals().join(deal.id, { customerId: await customer(n), channel: 'telegram', externalUserId: String(n) })).ok).toBe(true);
    // Only two bottles left by closing time: two orders, one sold-out notice.
    await t.call('PUT', '/api/v1/stores/demo/inventory/BOTTLE-GLASS', { onHand: 2 }, adminHeaders);
    clock.advance(2 * HOUR);
    const ticks = await Promise.all([deals().tick(), deals().tick(), deals().tick()]);
    expect(ticks.reduce((n, r) => n + r.closed, 0)).toBe(1);
    expect(notices.map((n) => n.notice).sort()).toEqual(['ordered', 'ordered', 'sold_out']);
    const orders = (await t.call('GET', '/api/v1/stores/demo/orders?limit=50', undefined, adminHeaders)).body.items as { total: { amount: number } }[];
    expect(orders.filter((o) => o.total.amount === 1500)).toHaveLength(2);
    expect((await deals().byId(deal.id))?.status).toBe('succeeded');
    // A later tick (or a take-over after a crash) changes nothing.
    clock.advance(HOUR);
    expect((await deals().tick()).closed).toBe(0);
    expect(notices).toHaveLength(3);

    // A closer that crashed after placing the orders, before recording them: another takes over after the lease.
    await t.container.db.groupDeal.update({ where: { id: deal.id }, data: { status: 'closing', closingAt: new Date(clock.now().getTime() - 10 * 60_000) } });
    await t.container.db.groupDealMember.updateMany({ where: { dealId: deal.id }, data: { outcome: null, orderId: null, notifiedAt: null } });
    expect((await deals().tick()).closed).toBe(1);
    const again = (await t.call('GET', '/api/v1/stores/demo/orders?limit=50', undefined, adminHeaders)).body.items as { total: { amount: number } }[];
    expect(again.filter((o) => o.total.amount === 1500)).toHaveLength(2);
    expect((await deals().byId(deal.id))?.status).toBe('succeeded');
  });
});
