import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

describe.each(databases)('a shopper’s recent orders, as a chat lists them (%s)', (kind) => {
  let t: TestApp;
  let storeId: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => t.close());

  it('gives the customer’s newest orders first, up to the limit, and no one else’s', async () => {
    const { customers, orders } = t.container.services;
    const ann = await customers.identify(storeId, { channel: 'telegram', externalUserId: 'recent-ann' });
    const bob = await customers.identify(storeId, { channel: 'telegram', externalUserId: 'recent-bob' });
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 6, minute));
    const place = (customerId: string, number: number, minute: number, status: string, total: number) =>
      t.container.db.order.create({
        data: { storeId, customerId, number, status, currency: 'EUR', subtotal: total, total, idempotencyKey: `k${number}`, requestHash: 'h', createdAt: at(minute) },
      });
    await place(ann.id, 1001, 1, 'paid', 2400);
    await place(bob.id, 1002, 2, 'pending_payment', 990);
    await place(ann.id, 1003, 3, 'shipped', 11_800);
    await place(ann.id, 1004, 4, 'cancelled', 500);

    const recent = await orders.recentFor(storeId, ann.id, 2);
    expect(recent.map((o) => ({ ...o, id: typeof o.id }))).toEqual([
      { id: 'string', number: 1004, status: 'cancelled', total: 500, currency: 'EUR', createdAt: at(4) },
      { id: 'string', number: 1003, status: 'shipped', total: 11_800, currency: 'EUR', createdAt: at(3) },
    ]);
    expect((await orders.recentFor(storeId, ann.id, 5)).map((o) => o.number)).toEqual([1004, 1003, 1001]);
    // The same orders as the full listing gives, by id.
    const full = await orders.list(storeId, { customerId: ann.id, limit: 5 });
    expect((await orders.recentFor(storeId, ann.id, 5)).map((o) => o.id)).toEqual(full.items.map((o) => o.id));
    expect((await orders.recentFor(storeId, bob.id, 5)).map((o) => o.number)).toEqual([1002]);
    const nobody = await customers.identify(storeId, { channel: 'telegram', externalUserId: 'recent-none' });
    expect(await orders.recentFor(storeId, nobody.id, 5)).toEqual([]);
  });
});
