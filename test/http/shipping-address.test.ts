import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateShippingAddress } from '../../src/cart/shipping-address.ts';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-api.ts';
import { createShop, orderOf } from '../helpers/shop.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const WEBHOOK_SECRET = 'whsec_test_secret_address';
const good = { name: 'Ada Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'de', phone: '+49 30 1234567' };

describe('shipping address validation', () => {
  it('normalises a good address: trimmed, single spaces, country upper-case, empty optional fields dropped', () => {
    const r = validateShippingAddress({ ...good, name: '  Ada   Lovelace ', line2: '  ' });
    expect(r).toEqual({ ok: true, value: { name: 'Ada Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE', phone: '+49 30 1234567' } });
  });

  it('names every bad field at once', () => {
    const r = validateShippingAddress({ name: '', line1: 42, city: 'Berlin', postalCode: '10117!', country: 'XX', phone: 'call me' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('VALIDATION_FAILED');
    const issues = (r.details as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((i) => i.path)).toEqual(['name', 'line1', 'postalCode', 'country', 'phone']);
    expect(issues.find((i) => i.path === 'country')?.message).toMatch(/ISO 3166-1/);
    expect(validateShippingAddress({ ...good, country: 'Germany' }).ok).toBe(false);
  });
});

describe.each(databases)(`shipping address on carts and orders (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let stripe: FakeStripe;
  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = await createTestApp(kind, { env: { STRIPE_SECRET_KEY: 'sk_test_chatshop', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url } });
    await createShop(t, 'addr');
    // Germany ships for 4.90, everywhere else for 9.90.
    const rates = [
      { kind: 'flat', name: 'Germany', amount: 490, countries: ['DE'] },
      { kind: 'flat', name: 'World', amount: 990 },
    ];
    expect((await t.call('PATCH', '/api/v1/stores/addr', { shippingRates: rates }, adminHeaders)).status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });

  const newCart = async () => {
    const cart = (await t.call('POST', '/api/v1/stores/addr/carts')).body.id as string;
    expect((await t.call('POST', `/api/v1/stores/addr/carts/${cart}/items`, { sku: 'addr-MUG', quantity: 1 })).status).toBe(200);
    return cart;
  };

  it('PUT …/shipping-address stores the address, the shipping rate follows its country, and checkout copies it onto the order', async () => {
    const cart = await newCart();
    expect((await t.call('GET', `/api/v1/stores/addr/carts/${cart}`)).body.totals.shipping.amount).toBe(990);
    const put = await t.call('PUT', `/api/v1/stores/addr/carts/${cart}/shipping-address`, good);
    expect(put.status).toBe(200);
    expect(put.body.shippingAddress).toEqual({ ...good, country: 'DE' });
    expect(put.body.totals.shipping).toEqual({ amount: 490, currency: 'EUR' });
    const checkout = await t.call('POST', `/api/v1/stores/addr/carts/${cart}/checkout`, undefined, { 'idempotency-key': `addr-${cart}` });
    expect(checkout.status).toBe(201);
    expect(checkout.body.order.shippingAddress).toEqual({ ...good, country: 'DE' });
    expect(checkout.body.order.shipping.amount).toBe(490);
    expect((await orderOf(t, 'addr', checkout.body.order.id)).shippingAddress).toMatchObject({ city: 'Berlin', country: 'DE' });
    // The cart is closed: the address can no longer change.
    const late = await t.call('PUT', `/api/v1/stores/addr/carts/${cart}/shipping-address`, { ...good, city: 'Hamburg' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CART_CLOSED');
  });

  it('refuses a bad address with 400 naming each field, and keeps the previous address', async () => {
    const cart = await newCart();
    expect((await t.call('PUT', `/api/v1/stores/addr/carts/${cart}/shipping-address`, good)).status).toBe(200);
    const bad = await t.call('PUT', `/api/v1/stores/addr/carts/${cart}/shipping-address`, { ...good, country: 'ZZ', postalCode: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['postalCode', 'country']);
    expect((await t.call('GET', `/api/v1/stores/addr/carts/${cart}`)).body.shippingAddress.city).toBe('Berlin');
    const unknownField = await t.call('PUT', `/api/v1/stores/addr/carts/${cart}/shipping-address`, { ...good, planet: 'Mars' });
    expect(unknownField.status).toBe(400);
    expect((await t.call('PUT', `/api/v1/stores/addr/carts/no-such-cart/shipping-address`, good)).status).toBe(404);
  });

  it('the address Stripe Checkout collected is stored on the paid order', async () => {
    const cart = await newCart();
    const checkout = await t.call('POST', `/api/v1/stores/addr/carts/${cart}/checkout`, undefined, { 'idempotency-key': `addr-stripe-${cart}` });
    const sessionId = /\/(cs_test_\d+)$/.exec(checkout.body.payment.url as string)?.[1] ?? '';
    const session = {
      ...stripe.pay(sessionId),
      collected_information: { shipping_details: { name: 'Grace Hopper', address: { line1: '1 Navy Way', line2: null, city: 'Arlington', state: 'VA', postal_code: '22202', country: 'US' } } },
      customer_details: { phone: '+1 555 0100', email: null, name: 'Grace Hopper', address: null },
    };
    const w = stripe.webhook('checkout.session.completed', session, WEBHOOK_SECRET);
    const res = await t.app.request('/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': w.signature }, body: w.payload });
    expect(res.status).toBe(200);
    const order = await orderOf(t, 'addr', checkout.body.order.id);
    expect(order.status).toBe('paid');
    expect(order.shippingAddress).toEqual({ name: 'Grace Hopper', line1: '1 Navy Way', city: 'Arlington', state: 'VA', postalCode: '22202', country: 'US', phone: '+1 555 0100' });
  });

  it('the older top-level shipping_details is read too', async () => {
    const cart = await newCart();
    const checkout = await t.call('POST', `/api/v1/stores/addr/carts/${cart}/checkout`, undefined, { 'idempotency-key': `addr-legacy-${cart}` });
    const sessionId = /\/(cs_test_\d+)$/.exec(checkout.body.payment.url as string)?.[1] ?? '';
    const session = { ...stripe.pay(sessionId), shipping_details: { name: 'Linus', address: { line1: 'Kaivokatu 1', city: 'Helsinki', postal_code: '00100', country: 'FI' } } };
    const w = stripe.webhook('checkout.session.completed', session, WEBHOOK_SECRET);
    await t.app.request('/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': w.signature }, body: w.payload });
    expect((await orderOf(t, 'addr', checkout.body.order.id)).shippingAddress).toMatchObject({ name: 'Linus', line1: 'Kaivokatu 1', country: 'FI' });
  });
});

describe('Telegram successful_payment.order_info', () => {
  it('becomes the order\'s shipping address', async () => {
    const { addressOf } = await import('../../adapters/telegram/payments.composer.ts');
    expect(addressOf(undefined)).toBeNull();
    expect(addressOf({ name: 'Wei Zhang' })).toBeNull();
    expect(
      addressOf({
        name: ' Wei  Zhang ',
        phone_number: '8613800000000',
        shipping_address: { country_code: 'cn', state: 'Shanghai', city: 'Shanghai', street_line1: '1 Century Ave', street_line2: '', post_code: '200120' },
      }),
    ).toEqual({ name: 'Wei Zhang', line1: '1 Century Ave', city: 'Shanghai', state: 'Shanghai', postalCode: '200120', country: 'CN', phone: '8613800000000' });
  });
});
