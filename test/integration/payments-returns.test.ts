import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-api.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { buy, createShop, demoDecide, demoPage, orderOf, stockOf } from '../helpers/shop.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

type Reply = { type: string; text?: string; buttons?: ({ label: string; action: string } | { label: string; url: string })[]; url?: string | null };

describe.each(databases)(`cancel refunds, tracking and shopper returns (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  const notes = new RecordingNotifier();
  beforeAll(async () => {
    t = await createTestApp(kind, { notifier: notes });
    await createShop(t, 'rt');
  });
  afterAll(() => t.close());

  const pay = async (orderId: string) => demoDecide(t, orderId, 'approve', (await demoPage(t, orderId)).token ?? '');
  const move = (id: string, body: Record<string, unknown>) => t.call('POST', `/api/v1/stores/rt/orders/${id}/transitions`, body, adminHeaders);
  const chat = async (session: string, input: { text?: string; action?: string; locale?: string }): Promise<Reply[]> => {
    const r = await t.call('POST', '/api/v1/stores/rt/chat', { session, ...input });
    expect(r.status).toBe(200);
    return r.body.replies as Reply[];
  };
  const action = (replies: Reply[], label: RegExp) => {
    const b = replies.flatMap((r) => r.buttons ?? []).find((x) => label.test(x.label));
    if (!b || !('action' in b)) throw new Error(`no button ${label} in ${JSON.stringify(replies)}`);
    return b.action;
  };

  it('cancelling a paid order refunds the payment in full and restocks it', async () => {
    const before = await stockOf(t, 'rt', 'rt-MUG');
    const r = await buy(t, 'rt', { 'rt-MUG': 2 });
    const id = r.body.order.id as string;
    await pay(id);
    const cancelled = await move(id, { to: 'cancelled', note: 'customer called' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.payments[0]).toMatchObject({ status: 'refunded', refunded: { amount: 2500, currency: 'EUR' } });
    expect(cancelled.body.events.at(-1).note).toBe('customer called; payment of 25.00 EUR refunded in full');
    expect(await stockOf(t, 'rt', 'rt-MUG')).toEqual(before);
    // The buyer is told of the cancellation once; nothing moved it to "refunded" behind the seller's back.
    expect(notes.changesOf(id).map((c) => c.to)).toEqual(['paid', 'cancelled']);
    // An unpaid order is still simply cancelled (its hold released), nothing refunded.
    const unpaid = await buy(t, 'rt', { 'rt-MUG': 1 });
    const c2 = await move(unpaid.body.order.id as string, { to: 'cancelled' });
    expect(c2.body.status).toBe('cancelled');
    expect(c2.body.payments[0].refunded.amount).toBe(0);
  });

  it('shopper sees tracking in their order view, asks for a return, the seller declines then approves', async () => {
    const session = 'returns-shopper-1';
    const product = await t.call('GET', '/api/v1/stores/rt/products/enamel-mug');
    const variant = product.body.variants[0].id as string;
    await chat(session, { action: `1a:${variant}:1` });
    const checkout = await chat(session, { action: '1x' });
    const orderId = /\/pay\/demo\/([^/?]+)/.exec(checkout[0]?.url ?? '')?.[1] ?? '';
    await pay(orderId);
    expect((await move(orderId, { to: 'fulfilled' })).status).toBe(200);
    const shipped = await move(orderId, { to: 'shipped', trackingNumber: 'JJD0001', carrierUrl: 'https://track.example/JJD0001' });
    expect(shipped.body.tracking).toEqual({ number: 'JJD0001', carrierUrl: 'https://track.example/JJD0001' });

    const list = await chat(session, { action: '1o' });
    const view = await chat(session, { action: action(list, /^Order #\d+$/) });
    expect(view[0]?.text).toContain('Tracking number: JJD0001');
    expect(view[0]?.buttons).toContainEqual({ label: 'Track parcel', url: 'https://track.example/JJD0001' });
    // Another shopper cannot open (or return) this order.
    expect((await chat('returns-stranger', { action: `1e:${orderId}` }))[0]?.text).toBe('I could not find that order among yours.');
    expect((await chat('returns-stranger', { action: `1w:${orderId}` }))[0]?.text).toBe('I could not find that order among yours.');

    const ask = await chat(session, { action: action(view, /Request a return/) });
    expect(ask[0]?.text).toMatch(/Request a return of order #\d+\?/);
    const done = await chat(session, { action: action(ask, /Yes, request a return/) });
    expect(done[0]?.text).toMatch(/We have your return request for order #\d+/);
    expect((await orderOf(t, 'rt', orderId)).status).toBe('return_requested');
    const requested = notes.changesOf(orderId).at(-1);
    expect(requested).toMatchObject({ from: 'shipped', to: 'return_requested' });
    expect(requested?.actor).toMatch(/^customer:/);

    const reject = await t.call('POST', `/api/v1/stores/rt/orders/${orderId}/return-request/reject`, { reason: 'used item' }, adminHeaders);
    expect(reject.status).toBe(200);
    expect(reject.body.status).toBe('shipped');
    expect(notes.changesOf(orderId).at(-1)).toMatchObject({ from: 'return_requested', to: 'shipped', note: 'return declined: used item' });
    // Still no return possible from REST for an order that is not shipped/delivered…
    expect((await t.call('POST', `/api/v1/stores/rt/orders/${orderId}/return-request/approve`, {}, adminHeaders)).status).toBe(409);

    // …then the shopper asks again (in Chinese) and the seller approves: returned, restocked.
    const stock = await stockOf(t, 'rt', 'rt-MUG');
    const again = await chat(session, { action: `1w:${orderId}`, locale: 'zh-CN' });
    expect(again[0]?.text).toMatch(/已收到你对订单 #\d+ 的退货申请/);
    const approved = await t.call('POST', `/api/v1/stores/rt/orders/${orderId}/return-request/approve`, {}, adminHeaders);
    expect(approved.body.status).toBe('returned');
    expect(await stockOf(t, 'rt', 'rt-MUG')).toMatchObject({ onHand: stock.onHand + 1 });
    expect(notes.changesOf(orderId).at(-1)).toMatchObject({ from: 'return_requested', to: 'returned' });
    // A returned order offers no return button any more.
    const last = await chat(session, { action: `1e:${orderId}` });
    expect(last[0]?.buttons?.some((b) => /退货|return/i.test(b.label))).toBe(false);
  });

  it('REST return requests: only for shipped or delivered orders', async () => {
    const r = await buy(t, 'rt', { 'rt-MUG': 1 });
    const id = r.body.order.id as string;
    const early = await t.call('POST', `/api/v1/stores/rt/orders/${id}/return-request`, { reason: 'changed my mind' }, adminHeaders);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('ILLEGAL_TRANSITION');
    await pay(id);
    await move(id, { to: 'fulfilled' });
    await move(id, { to: 'delivered' });
    const ok = await t.call('POST', `/api/v1/stores/rt/orders/${id}/return-request`, { reason: 'too small' }, adminHeaders);
    expect(ok.body.status).toBe('return_requested');
    expect(notes.changesOf(id).at(-1)).toMatchObject({ to: 'return_requested', note: 'too small' });
    expect((await t.call('POST', `/api/v1/stores/rt/orders/${id}/return-request/reject`, {}, adminHeaders)).body.status).toBe('delivered');
  });
});

describe.each(databases)(`cancelling a Stripe-paid order refunds through Stripe (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let stripe: FakeStripe;
  const SECRET = 'whsec_test_cancel_refund';
  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = await createTestApp(kind, { env: { STRIPE_SECRET_KEY: 'sk_test_chatshop', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_BASE: stripe.url } });
    await createShop(t, 'sc');
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });

  it('Stripe down: the cancel is refused and nothing changes; once up, one full refund and the order is cancelled', async () => {
    const before = await stockOf(t, 'sc', 'sc-MUG');
    const r = await buy(t, 'sc', { 'sc-MUG': 2 });
    const id = r.body.order.id as string;
    const session = /\/(cs_test_\d+)$/.exec(r.body.payment.url as string)?.[1] ?? '';
    const w = stripe.webhook('checkout.session.completed', stripe.pay(session), SECRET);
    await t.app.request('/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': w.signature }, body: w.payload });
    expect((await orderOf(t, 'sc', id)).status).toBe('paid');

    stripe.down();
    const refused = await t.call('POST', `/api/v1/stores/sc/orders/${id}/transitions`, { to: 'cancelled' }, adminHeaders);
    expect(refused.status).toBe(503);
    expect(refused.body.error.message).toMatch(/was not cancelled/);
    const still = await orderOf(t, 'sc', id);
    expect(still.status).toBe('paid');
    expect(still.payments[0].refunded.amount).toBe(0);
    expect(await stockOf(t, 'sc', 'sc-MUG')).toMatchObject({ onHand: before.onHand - 2 });

    stripe.heal();
    const cancelled = await t.call('POST', `/api/v1/stores/sc/orders/${id}/transitions`, { to: 'cancelled' }, adminHeaders);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', payments: [expect.objectContaining({ status: 'refunded', refunded: { amount: 2500, currency: 'EUR' } })] });
    expect(stripe.refunds).toHaveLength(1);
    expect(stripe.refunds[0]).toMatchObject({ amount: 2500 });
    expect(await stockOf(t, 'sc', 'sc-MUG')).toEqual(before);
    // Stripe's charge.refunded webhook that follows changes nothing more.
    const cr = stripe.webhook('charge.refunded', stripe.chargeFor(session, 2500), SECRET);
    await t.app.request('/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': cr.signature }, body: cr.payload });
    expect((await orderOf(t, 'sc', id)).status).toBe('cancelled');
  });
});
