import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/time.ts';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-api.ts';
import { buy, createShop, orderOf, stockOf } from '../helpers/shop.ts';
import { createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const WEBHOOK_SECRET = 'whsec_test_secret_0123456789';

describe.each(databases)(`Stripe Checkout and webhooks against a fake Stripe (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let stripe: FakeStripe;
  const clock = new ManualClock(new Date());
  const deliver = async (payload: string, signature: string | null) => {
    const res = await t.app.request('/webhooks/stripe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature !== null && { 'stripe-signature': signature }) },
      body: payload,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const send = (type: string, object: Record<string, unknown>, opts: { id?: string; timestamp?: number; secret?: string } = {}) => {
    const w = stripe.webhook(type, object, opts.secret ?? WEBHOOK_SECRET, opts);
    return deliver(w.payload, w.signature);
  };
  const sessionOf = (checkout: { payment: { url: string } | null }) => {
    const id = /\/(cs_test_\d+)$/.exec(checkout.payment?.url ?? '')?.[1];
    if (!id) throw new Error('no Stripe session on the order');
    return id;
  };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = await createTestApp(kind, {
      clock,
      env: { STRIPE_SECRET_KEY: 'sk_test_chatshop', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url, PUBLIC_URL: 'https://shop.example' },
    });
    await createShop(t, 'st');
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });

  it('creates one Checkout Session with the order lines in minor units, the order id and an idempotency key', async () => {
    const r = await buy(t, 'st', { 'st-MUG': 2, 'st-EBOOK': 1 });
    expect(r.status).toBe(201);
    const order = r.body.order;
    const [call] = stripe.callsTo('POST', '/v1/checkout/sessions');
    expect(call).toBeDefined();
    const b = call?.body ?? {};
    expect(b).toMatchObject({
      mode: 'payment',
      line_items: [
        { quantity: '2', price_data: { currency: 'eur', unit_amount: '1250', product_data: { name: 'Enamel Mug' } } },
        { quantity: '1', price_data: { currency: 'eur', unit_amount: '900', product_data: { name: 'Brewing E-book' } } },
      ],
      metadata: { order_id: order.id },
      client_reference_id: order.id,
      payment_intent_data: { metadata: { order_id: order.id } },
      success_url: `https://shop.example/pay/return/${order.id}?result=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `https://shop.example/pay/return/${order.id}?result=cancel`,
      // The mug has a weight: Stripe collects the address and phone.
      phone_number_collection: { enabled: 'true' },
    });
    expect((b.line_items as unknown[]).length).toBe(2);
    expect((b.shipping_address_collection as { allowed_countries: string[] }).allowed_countries).toContain('DE');
    // The store holds stock 15 minutes, Stripe needs 30: the hold is extended to the session's end.
    const expiresAt = Number(b.expires_at);
    expect(expiresAt * 1000 - clock.now().getTime()).toBeGreaterThanOrEqual(30 * 60 * 1000);
    const stored = await orderOf(t, 'st', order.id);
    expect(Math.floor(new Date(stored.reservedUntil).getTime() / 1000)).toBe(expiresAt);
    expect(call?.idempotencyKey).toBe(`chatshop-session-${order.id}-${expiresAt}`);
    expect(r.body.payment).toMatchObject({ provider: 'stripe', status: 'pending', amount: { amount: 3400, currency: 'EUR' } });
    expect(r.body.payment.url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_\d+$/);

    // The same checkout key: the same order and the same session, and no second call to Stripe.
    const again = await t.call('POST', `/api/v1/stores/st/carts/${r.cart}/checkout`, undefined, { 'idempotency-key': r.key });
    expect(again.status).toBe(200);
    expect(again.body.order.id).toBe(order.id);
    expect(again.body.payment.url).toBe(r.body.payment.url);
    expect(stripe.callsTo('POST', '/v1/checkout/sessions')).toHaveLength(1);
  });

  it('digital goods only: no shipping address or phone asked', async () => {
    const r = await buy(t, 'st', { 'st-EBOOK': 1 });
    const call = stripe.callsTo('POST', '/v1/checkout/sessions').find((c) => (c.body.metadata as Record<string, string>).order_id === r.body.order.id);
    expect(call?.body.shipping_address_collection).toBeUndefined();
    expect(call?.body.phone_number_collection).toBeUndefined();
  });

  it('checkout.session.completed marks the order paid once, even delivered three times at once', async () => {
    const before = await stockOf(t, 'st', 'st-MUG');
    const r = await buy(t, 'st', { 'st-MUG': 1 });
    const session = stripe.pay(sessionOf(r.body));
    const w = stripe.webhook('checkout.session.completed', session, WEBHOOK_SECRET);
    const answers = await Promise.all([1, 2, 3].map(() => deliver(w.payload, w.signature)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.status).sort()).toEqual(['duplicate', 'duplicate', 'processed']);
    // A later, different event for the same payment has no second effect either.
    expect((await send('checkout.session.async_payment_succeeded', session)).status).toBe(200);

    const order = await orderOf(t, 'st', r.body.order.id);
    expect(order.status).toBe('paid');
    expect(order.events.filter((e: { to: string }) => e.to === 'paid')).toEqual([expect.objectContaining({ from: 'pending_payment', actor: 'provider:stripe' })]);
    expect(order.payments).toEqual([expect.objectContaining({ provider: 'stripe', status: 'succeeded' })]);
    expect(await stockOf(t, 'st', 'st-MUG')).toMatchObject({ onHand: before.onHand - 1, reserved: before.reserved });
    await t.container.services.analytics.flush();
    expect(await t.container.db.analyticsEvent.count({ where: { type: 'order_paid', orderId: r.body.order.id } })).toBe(1);
  });

  it('checkout.session.expired cancels and releases stock; a completion after that is flagged for refund, not resurrected', async () => {
    const before = await stockOf(t, 'st', 'st-MUG');
    const r = await buy(t, 'st', { 'st-MUG': 2 });
    const id = sessionOf(r.body);
    expect((await send('checkout.session.expired', stripe.sessions.get(id) ?? {})).body.status).toBe('processed');
    let order = await orderOf(t, 'st', r.body.order.id);
    expect(order.status).toBe('cancelled');
    expect(order.payments[0].status).toBe('failed');
    expect(await stockOf(t, 'st', 'st-MUG')).toEqual(before);

    expect((await send('checkout.session.completed', stripe.pay(id))).status).toBe(200);
    order = await orderOf(t, 'st', r.body.order.id);
    expect(order.status).toBe('cancelled');
    expect(order.payments[0].status).toBe('succeeded');
    expect(order.events.at(-1).note).toMatch(/arrived after the order was cancelled .* refund needed/);
    expect(await stockOf(t, 'st', 'st-MUG')).toEqual(before);
  });

  it('async_payment_failed cancels the order', async () => {
    const r = await buy(t, 'st', { 'st-EBOOK': 1 });
    await send('checkout.session.async_payment_failed', stripe.sessions.get(sessionOf(r.body)) ?? {});
    expect((await orderOf(t, 'st', r.body.order.id)).status).toBe('cancelled');
  });

  it('refuses a bad, missing or stale signature with 400 and no effect', async () => {
    const r = await buy(t, 'st', { 'st-EBOOK': 1 });
    const session = stripe.pay(sessionOf(r.body));
    const good = stripe.webhook('checkout.session.completed', session, WEBHOOK_SECRET);
    expect((await deliver(good.payload.replace('"paid"', '"paid" '), good.signature)).status).toBe(400); // body changed
    expect((await deliver(good.payload, null)).status).toBe(400);
    expect((await send('checkout.session.completed', session, { secret: 'whsec_someone_else' })).status).toBe(400);
    expect((await send('checkout.session.completed', session, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(400);
    expect((await orderOf(t, 'st', r.body.order.id)).status).toBe('pending_payment');
    // The genuine event still works afterwards: nothing was recorded for the refused ones.
    expect((await deliver(good.payload, good.signature)).body.status).toBe('processed');
    expect((await orderOf(t, 'st', r.body.order.id)).status).toBe('paid');
  });

  it('Stripe down: checkout answers with no payment and a clear message, the order stays held; a retry gets a session', async () => {
    stripe.down();
    const r = await buy(t, 'st', { 'st-MUG': 1 });
    stripe.heal();
    expect(r.status).toBe(201);
    expect(r.body.payment).toBeNull();
    expect(r.body.message).toMatch(/Payment could not be started right now/);
    expect(r.body.order.status).toBe('pending_payment');
    const sessionsBefore = stripe.createdSessions().length;

    const again = await t.call('POST', `/api/v1/stores/st/carts/${r.cart}/checkout`, undefined, { 'idempotency-key': r.key });
    expect(again.status).toBe(200);
    expect(again.body.order.id).toBe(r.body.order.id);
    expect(again.body.payment).toMatchObject({ provider: 'stripe', status: 'pending' });
    expect(again.body.message).toBeUndefined();
    expect(stripe.createdSessions()).toHaveLength(sessionsBefore + 1);
  }, 20_000);

  it('refunds through the Stripe Refunds API with an idempotency key; charge.refunded is applied once', async () => {
    const r = await buy(t, 'st', { 'st-MUG': 2 }); // 25.00 EUR
    const id = sessionOf(r.body);
    await send('checkout.session.completed', stripe.pay(id));
    const path = `/api/v1/stores/st/orders/${r.body.order.id}/refunds`;
    const admin = { authorization: 'Bearer test-admin-token-0123456789' };
    const part = await t.call('POST', path, { amount: 500 }, admin);
    expect(part.status).toBe(201);
    expect(part.body.order.status).toBe('partially_refunded');
    const [refundCall] = stripe.callsTo('POST', '/v1/refunds');
    expect(refundCall?.body).toMatchObject({ payment_intent: stripe.sessions.get(id)?.payment_intent, amount: '500' });
    expect(refundCall?.idempotencyKey).toMatch(/^chatshop-refund-.+-0-500$/);
    // Stripe's webhook for our own refund changes nothing more.
    await send('charge.refunded', stripe.chargeFor(id, 500));
    expect((await orderOf(t, 'st', r.body.order.id)).payments[0].refunded.amount).toBe(500);

    expect((await t.call('POST', path, { amount: 2001 }, admin)).status).toBe(409);
    // A refund made in Stripe's dashboard arrives only as charge.refunded (here without our metadata, found via its session).
    const w = stripe.webhook('charge.refunded', stripe.chargeFor(id, 2500, false), WEBHOOK_SECRET);
    await Promise.all([deliver(w.payload, w.signature), deliver(w.payload, w.signature)]);
    const order = await orderOf(t, 'st', r.body.order.id);
    expect(order.status).toBe('refunded');
    expect(order.payments[0]).toMatchObject({ status: 'refunded', refunded: { amount: 2500, currency: 'EUR' } });
    expect(order.events.filter((e: { to: string }) => e.to === 'refunded')).toHaveLength(1);
  });

  it('a refund Stripe cannot make refunds nothing and says so', async () => {
    const r = await buy(t, 'st', { 'st-EBOOK': 1 });
    await send('checkout.session.completed', stripe.pay(sessionOf(r.body)));
    stripe.down();
    const res = await t.call('POST', `/api/v1/stores/st/orders/${r.body.order.id}/refunds`, {}, { authorization: 'Bearer test-admin-token-0123456789' });
    stripe.heal();
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/nothing was refunded/);
    const order = await orderOf(t, 'st', r.body.order.id);
    expect(order.status).toBe('paid');
    expect(order.payments[0].refunded.amount).toBe(0);
  }, 20_000);
});
