import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { ManualClock } from '../../src/shared/time.ts';
import { adminHeaders, createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

describe.each(databases)('carts, checkout and orders over REST (%s)', (kind) => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-11-26T12:00:00Z'));
  const stockOf = async (slug: string, sku: string) => {
    const p = await t.call('GET', `/api/v1/stores/demo/products/${slug}`);
    return p.body.variants.find((v: { sku: string }) => v.sku === sku).stock as { available: number; onHand: number; reserved: number };
  };
  const newCart = async () => (await t.call('POST', '/api/v1/stores/demo/carts')).body.id as string;
  let key = 0;
  const checkout = (cart: string, k = `key-${++key}`) =>
    t.call('POST', `/api/v1/stores/demo/carts/${cart}/checkout`, undefined, { 'idempotency-key': k });

  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    await seedDemoStore(t.container.services.catalog);
  });
  afterAll(() => t.close());

  it('adds, changes and removes items with totals computed on the server', async () => {
    const cart = await newCart();
    let r = await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'MUG-CLASSIC', quantity: 2 });
    expect(r.status).toBe(200);
    r = await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'TEE-LOGO-WHI-M', quantity: 1 });
    r = await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'MUG-CLASSIC', quantity: 1 });
    expect(r.body.items).toHaveLength(2);
    expect(r.body.totals.total).toEqual({ amount: 3 * 1200 + 2500, currency: 'EUR' });
    const mug = r.body.items.find((i: { sku: string }) => i.sku === 'MUG-CLASSIC');
    expect(mug.quantity).toBe(3);
    expect(mug.lineTotal).toEqual({ amount: 3600, currency: 'EUR' });

    r = await t.call('PATCH', `/api/v1/stores/demo/carts/${cart}/items/${mug.id}`, { quantity: 1 });
    expect(r.body.totals.subtotal.amount).toBe(1200 + 2500);
    r = await t.call('DELETE', `/api/v1/stores/demo/carts/${cart}/items/${mug.id}`);
    expect(r.body.items.map((i: { sku: string }) => i.sku)).toEqual(['TEE-LOGO-WHI-M']);

    // A client cannot set a price: unknown fields are refused.
    const tampered = await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'MUG-CLASSIC', quantity: 1, price: 1 });
    expect(tampered.status).toBe(400);
  });

  it('refuses more than is in stock, sold-out items and unknown SKUs', async () => {
    const cart = await newCart();
    const tooMany = await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'KETTLE-GOOSE', quantity: 7 });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK', message: 'Only 6 of "Gooseneck Kettle" left' });
    const soldOut = await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'SCARF-KNIT', quantity: 1 });
    expect(soldOut.body.error.message).toMatch(/sold out/);
    expect((await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'NOPE', quantity: 1 })).status).toBe(404);
    expect((await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'MUG-CLASSIC', quantity: 0 })).status).toBe(400);
    expect((await t.call('GET', '/api/v1/stores/demo/carts/unknown-cart')).status).toBe(404);
  });

  it('checks out once per idempotency key, reserving stock until payment', async () => {
    const before = await stockOf('gooseneck-kettle', 'KETTLE-GOOSE');
    const cart = await newCart();
    await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'KETTLE-GOOSE', quantity: 2 });

    const first = await checkout(cart, 'order-A');
    expect(first.status).toBe(201);
    expect(first.body.order).toMatchObject({ status: 'pending_payment', total: { amount: 11800, currency: 'EUR' } });
    expect(first.body.order.number).toBeGreaterThan(1000);
    expect(first.body.payment).toMatchObject({ provider: 'demo', amount: { amount: 11800, currency: 'EUR' } });
    expect(first.body.payment.url).toContain(`/pay/demo/${first.body.order.id}`);

    const again = await checkout(cart, 'order-A');
    expect(again.status).toBe(200);
    expect(again.body.order.id).toBe(first.body.order.id);
    expect(again.body.payment.url).toBe(first.body.payment.url);

    const after = await stockOf('gooseneck-kettle', 'KETTLE-GOOSE');
    expect(after).toEqual({ onHand: before.onHand, reserved: before.reserved + 2, available: before.available - 2 });

    // The cart is closed now; another key cannot order it twice.
    const other = await checkout(cart, 'order-B');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('CART_CLOSED');
    expect((await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'MUG-CLASSIC', quantity: 1 })).status).toBe(409);
  });

  it('needs a key, refuses an empty cart and a key reused for another cart', async () => {
    const cart = await newCart();
    const noKey = await t.call('POST', `/api/v1/stores/demo/carts/${cart}/checkout`);
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const empty = await checkout(cart);
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('CART_EMPTY');
    await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'PENCILS-6', quantity: 1 });
    const reused = await checkout(cart, 'order-A');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers 409 INSUFFICIENT_STOCK when stock ran out between cart and checkout', async () => {
    const a = await newCart();
    const b = await newCart();
    await t.call('POST', `/api/v1/stores/demo/carts/${a}/items`, { sku: 'PEN-BRASS', quantity: 5 });
    await t.call('POST', `/api/v1/stores/demo/carts/${b}/items`, { sku: 'PEN-BRASS', quantity: 5 });
    expect((await checkout(a)).status).toBe(201);
    const late = await checkout(b);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK', message: 'Not enough stock left for "Brass Pen"' });
    expect(await stockOf('brass-pen', 'PEN-BRASS')).toEqual({ onHand: 7, reserved: 5, available: 2 });
  });

  it('reserves a bundle through its parts', async () => {
    const cart = await newCart();
    await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'GIFT-COFFEE-BOX', quantity: 2 });
    const r = await checkout(cart);
    expect(r.status).toBe(201);
    expect(r.body.order.total.amount).toBe(9800);
    expect((await stockOf('coffee-sampler-3-x-100-g', 'COF-SAMPLER')).reserved).toBe(2);
    expect((await stockOf('coffee-lover-gift-box', 'GIFT-COFFEE-BOX')).available).toBe(8);
  });

  it('releases the stock of an unpaid order when its reservation lapses', async () => {
    const before = await stockOf('french-press', 'PRESS-FRENCH');
    const cart = await newCart();
    await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'PRESS-FRENCH', quantity: 3 });
    const placed = await checkout(cart);
    expect((await stockOf('french-press', 'PRESS-FRENCH')).available).toBe(before.available - 3);

    clock.advance(14 * 60 * 1000);
    await t.container.services.orders.releaseLapsed();
    expect((await stockOf('french-press', 'PRESS-FRENCH')).available).toBe(before.available - 3); // not yet: 15 min window

    clock.advance(2 * 60 * 1000);
    await t.container.services.orders.releaseLapsed();
    expect(await stockOf('french-press', 'PRESS-FRENCH')).toEqual(before);
    const order = await t.call('GET', `/api/v1/stores/demo/orders/${placed.body.order.id}`, undefined, adminHeaders);
    expect(order.body.status).toBe('cancelled');
    expect(order.body.events.at(-1)).toMatchObject({ from: 'pending_payment', to: 'cancelled', actor: 'system' });
    // Lapsed orders cannot be paid any more.
    const pay = await t.call('POST', `/api/v1/stores/demo/orders/${placed.body.order.id}/transitions`, { to: 'paid' }, adminHeaders);
    expect(pay.status).toBe(409);
    expect(pay.body.error.code).toBe('ILLEGAL_TRANSITION');
  });

  it('moves an order through its states, recording every transition and the stock', async () => {
    const before = await stockOf('hand-grinder', 'GRINDER-HAND');
    const cart = await newCart();
    await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'GRINDER-HAND', quantity: 1 });
    const { order } = (await checkout(cart)).body;
    const move = (to: string) => t.call('POST', `/api/v1/stores/demo/orders/${order.number}/transitions`, { to }, adminHeaders);

    const illegal = await move('shipped');
    expect(illegal.status).toBe(409);
    expect(illegal.body.error).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { from: 'pending_payment', to: 'shipped', allowed: ['paid', 'cancelled'] } });

    expect((await move('paid')).status).toBe(200);
    expect(await stockOf('hand-grinder', 'GRINDER-HAND')).toEqual({ onHand: before.onHand - 1, reserved: before.reserved, available: before.available - 1 });
    expect((await move('fulfilled')).status).toBe(200);
    expect((await move('shipped')).status).toBe(200);
    const done = await move('delivered');
    expect(done.body.status).toBe('delivered');
    expect(done.body.events.map((e: { to: string }) => e.to)).toEqual(['pending_payment', 'paid', 'fulfilled', 'shipped', 'delivered']);
    expect(done.body.events[1].actor).toBe('admin:admin-token');

    const listed = await t.call('GET', '/api/v1/stores/demo/orders?status=delivered', undefined, adminHeaders);
    expect(listed.body.items.map((o: { id: string }) => o.id)).toContain(order.id);
    expect((await move('nonsense')).status).toBe(400);
  });

  it('gives a customer one open cart per store', async () => {
    const customer = await t.call(
      'POST',
      '/api/v1/stores/demo/customers',
      { displayName: 'Ada', identity: { channel: 'telegram', externalUserId: '42', username: 'ada' } },
      adminHeaders,
    );
    expect(customer.status).toBe(201);
    const same = await t.call('POST', '/api/v1/stores/demo/customers', { identity: { channel: 'telegram', externalUserId: '42' } }, adminHeaders);
    expect(same.body.id).toBe(customer.body.id);

    const c1 = await t.call('POST', '/api/v1/stores/demo/carts', { customerId: customer.body.id }, adminHeaders);
    const c2 = await t.call('POST', '/api/v1/stores/demo/carts', { customerId: customer.body.id }, adminHeaders);
    expect(c1.body.id).toBe(c2.body.id);
    // Binding a cart to a customer is a seller/channel action.
    expect((await t.call('POST', '/api/v1/stores/demo/carts', { customerId: customer.body.id })).status).toBe(401);
  });
});
