import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { ManualClock } from '../../src/shared/time.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const DAY = 24 * 3600 * 1000;

describe.each(databases)(`analytics events, funnel and zero-result searches (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let storeId: string;
  const start = new Date(Date.now() - 2 * DAY);
  const clock = new ManualClock(start);
  const analytics = () => t.container.services.analytics;
  let key = 0;

  async function placeOrder(sku: string, pay: boolean) {
    const cart = (await t.call('POST', '/api/v1/stores/demo/carts')).body.id as string;
    await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku, quantity: 1 });
    const placed = await t.call('POST', `/api/v1/stores/demo/carts/${cart}/checkout`, undefined, { 'idempotency-key': `an-${++key}` });
    expect(placed.status).toBe(201);
    const orderId = placed.body.order.id as string;
    if (pay)
      expect((await t.call('POST', `/api/v1/stores/demo/orders/${orderId}/transitions`, { to: 'paid' }, adminHeaders)).status).toBe(200);
    return orderId;
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
    const mug = (await t.container.services.catalog.product(storeId, 'classic-mug')).id;

    // Two days ago: outside the window asked about below.
    analytics().record({ storeId, type: 'view', productId: mug, sessionKey: 'web:old' });
    analytics().record({ storeId, type: 'search', query: 'ancient', resultCount: 0, sessionKey: 'web:old' });
    clock.advance(2 * DAY);

    const session = { storeId, sessionKey: 'telegram:42', channel: 'telegram' };
    for (let i = 0; i < 4; i++) analytics().record({ ...session, type: 'view', productId: mug });
    analytics().record({ ...session, type: 'add_to_cart', productId: mug, data: { quantity: 1, sku: 'MUG-CLASSIC' } });
    analytics().record({ ...session, type: 'add_to_cart', productId: mug });
    analytics().record({ ...session, type: 'search', query: 'Blue Kettle', resultCount: 0 });
    analytics().record({ ...session, type: 'search', query: ' blue   kettle', resultCount: 0 });
    analytics().record({ ...session, type: 'search', query: 'unicorn', resultCount: 0 });
    analytics().record({ ...session, type: 'search', query: 'hoodie', resultCount: 3 });
    analytics().record({ storeId: 'another-store', type: 'search', query: 'blue kettle', resultCount: 0 });
    for (const pay of [true, false]) {
      const orderId = await placeOrder('MUG-CLASSIC', pay);
      analytics().record({ ...session, type: 'checkout_started', orderId });
    }
    await analytics().flush();
  }, 60_000);
  afterAll(() => t?.close());

  it('lists zero-result searches since a date, most frequent first, with case and spacing merged', async () => {
    const since = new Date(clock.now().getTime() - DAY);
    const zero = await analytics().zeroResultSearches(storeId, since, 10);
    expect(zero.map(({ query, count }) => ({ query, count }))).toEqual([
      { query: 'blue kettle', count: 2 },
      { query: 'unicorn', count: 1 },
    ]);
    expect(zero[0]?.lastSearchedAt).toEqual(clock.now());
    expect(await analytics().zeroResultSearches(storeId, since, 1)).toHaveLength(1);
    // The whole history includes the old one.
    expect((await analytics().zeroResultSearches(storeId, start, 10)).map((z) => z.query)).toContain('ancient');
  });

  it('counts the funnel from views to paid orders', async () => {
    const since = new Date(clock.now().getTime() - DAY);
    expect(await analytics().funnel(storeId, since)).toEqual({ views: 4, carts: 2, checkouts: 2, paid: 1 });
    expect((await analytics().funnel(storeId, new Date(start.getTime() - 1))).views).toBe(5);
  });

  it('keeps the event fields the engine sends', async () => {
    const rows = await t.container.db.analyticsEvent.findMany({ where: { storeId, type: 'add_to_cart' }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.data)).toContainEqual({ quantity: 1, sku: 'MUG-CLASSIC' });
    expect(rows.every((r) => r.sessionKey === 'telegram:42' && r.channel === 'telegram')).toBe(true);
  });
});
