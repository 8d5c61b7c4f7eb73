import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

describe.each(databases)(`concurrent checkouts never oversell (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.call('POST', '/api/v1/stores', { slug: 'race', name: 'Race', currency: 'EUR' }, adminHeaders);
    const p = await t.call('POST', '/api/v1/stores/race/products', { title: 'Limited Drop', variants: [{ sku: 'DROP-1', price: 4200, onHand: 50 }] }, adminHeaders);
    expect(p.status).toBe(201);
  });
  afterAll(() => t.close());

  it('200 buyers racing for 50 units: exactly 50 orders, stock never negative', async () => {
    const carts: string[] = [];
    for (let i = 0; i < 200; i++) {
      const cart = (await t.call('POST', '/api/v1/stores/race/carts')).body.id as string;
      const added = await t.call('POST', `/api/v1/stores/race/carts/${cart}/items`, { sku: 'DROP-1', quantity: 1 });
      expect(added.status).toBe(200);
      carts.push(cart);
    }
    const results = await Promise.all(
      carts.map((cart, i) => t.call('POST', `/api/v1/stores/race/carts/${cart}/checkout`, undefined, { 'idempotency-key': `race-${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('INSUFFICIENT_STOCK');
    const numbers = results.filter((r) => r.status === 201).map((r) => r.body.order.number as number);
    expect(new Set(numbers).size).toBe(50);

    const product = await t.call('GET', '/api/v1/stores/race/products/limited-drop');
    expect(product.body.variants[0].stock).toEqual({ onHand: 50, reserved: 50, available: 0 });
    const orders = await t.call('GET', '/api/v1/stores/race/orders?limit=100', undefined, adminHeaders);
    expect(orders.body.items).toHaveLength(50);
  }, 120_000);

  it('the same checkout sent 10 times at once places one order', async () => {
    await t.call('PUT', '/api/v1/stores/race/inventory/DROP-1', { onHand: 60 }, adminHeaders);
    const cart = (await t.call('POST', '/api/v1/stores/race/carts')).body.id as string;
    await t.call('POST', `/api/v1/stores/race/carts/${cart}/items`, { sku: 'DROP-1', quantity: 2 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.call('POST', `/api/v1/stores/race/carts/${cart}/checkout`, undefined, { 'idempotency-key': 'same-key' })),
    );
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.order.id)).size).toBe(1);
    const product = await t.call('GET', '/api/v1/stores/race/products/limited-drop');
    expect(product.body.variants[0].stock.reserved).toBe(52);
  }, 60_000);
});
