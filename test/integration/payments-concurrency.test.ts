import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/time.ts';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-api.ts';
import { demoDecide, demoPage, stockOf } from '../helpers/shop.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const WEBHOOK_SECRET = 'whsec_race_secret_0123456789';
const BUYERS = 500;
const UNITS = 10;

async function raceShop(t: TestApp, slug: string) {
  await t.call('POST', '/api/v1/stores', { slug, name: 'Race', currency: 'EUR' }, adminHeaders);
  const p = await t.call('POST', `/api/v1/stores/${slug}/products`, { title: 'Drop', variants: [{ sku: `${slug}-DROP`, price: 5000, onHand: UNITS }] }, adminHeaders);
  expect(p.status).toBe(201);
  const carts: string[] = [];
  for (let i = 0; i < BUYERS; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, BUYERS - i) }, async () => {
        const cart = (await t.call('POST', `/api/v1/stores/${slug}/carts`)).body.id as string;
        expect((await t.call('POST', `/api/v1/stores/${slug}/carts/${cart}/items`, { sku: `${slug}-DROP`, quantity: 1 })).status).toBe(200);
        return cart;
      }),
    );
    carts.push(...batch);
  }
  return carts;
}

const checkoutAll = (t: TestApp, slug: string, carts: string[]) =>
  Promise.all(carts.map((cart, i) => t.call('POST', `/api/v1/stores/${slug}/carts/${cart}/checkout`, undefined, { 'idempotency-key': `race-${i}` })));

const paidCount = async (t: TestApp, slug: string) =>
  (await t.call('GET', `/api/v1/stores/${slug}/orders?status=paid&limit=100`, undefined, adminHeaders)).body.items.length as number;

describe.each(databases)(`zero oversell, zero double charge (%s)${pgSkipReason}`, (kind) => {
  describe('demo provider', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    });
    afterAll(() => t.close());

    it(`${BUYERS} buyers racing for ${UNITS} units, each winner approving twice at once: exactly ${UNITS} paid orders`, async () => {
      const carts = await raceShop(t, 'race-demo');
      const results = await checkoutAll(t, 'race-demo', carts);
      const won = results.filter((r) => r.status === 201);
      expect(won).toHaveLength(UNITS);
      expect(results.filter((r) => r.status === 409)).toHaveLength(BUYERS - UNITS);
      const decided = await Promise.all(
        won.flatMap((r) => [r, r]).map(async (r) => {
          const { token } = await demoPage(t, r.body.order.id);
          return demoDecide(t, r.body.order.id, 'approve', token ?? '');
        }),
      );
      expect(decided.every((d) => d.status === 200)).toBe(true);
      expect(decided.filter((d) => d.html.includes('Payment approved'))).toHaveLength(UNITS);
      expect(await paidCount(t, 'race-demo')).toBe(UNITS);
      expect(await stockOf(t, 'race-demo', 'race-demo-DROP')).toEqual({ onHand: 0, reserved: 0, available: 0 });
    }, 180_000);
  });

  describe('Stripe', () => {
    let t: TestApp;
    let stripe: FakeStripe;
    const clock = new ManualClock(new Date());
    beforeAll(async () => {
      stripe = await startFakeStripe();
      t = await createTestApp(kind, { clock, env: { STRIPE_SECRET_KEY: 'sk_test_race', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url } });
    });
    afterAll(async () => {
      await t.close();
      await stripe.close();
    });

    it(`${BUYERS} buyers for ${UNITS} units: ${UNITS} sessions, webhooks x3 at once, exactly ${UNITS} paid; retries create no session`, async () => {
      const carts = await raceShop(t, 'race-st');
      const results = await checkoutAll(t, 'race-st', carts);
      const won = results.filter((r) => r.status === 201);
      expect(won).toHaveLength(UNITS);
      expect(stripe.createdSessions()).toHaveLength(UNITS);
      const keys = stripe.callsTo('POST', '/v1/checkout/sessions').map((c) => c.idempotencyKey);
      expect(new Set(keys).size).toBe(UNITS);

      // Every buyer retries the same checkout: same orders, same sessions, nothing new at Stripe.
      const retried = await checkoutAll(t, 'race-st', carts);
      expect(retried.filter((r) => r.status === 200).map((r) => r.body.payment.url).sort()).toEqual(won.map((r) => r.body.payment.url).sort());
      expect(stripe.callsTo('POST', '/v1/checkout/sessions')).toHaveLength(UNITS);

      const deliveries = won.flatMap((r) => {
        const id = /(cs_test_\d+)$/.exec(r.body.payment.url)?.[1] ?? '';
        const w = stripe.webhook('checkout.session.completed', stripe.pay(id), WEBHOOK_SECRET);
        return [w, w, w];
      });
      const answers = await Promise.all(
        deliveries.map(async (w) => t.app.request('/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': w.signature }, body: w.payload })),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(await paidCount(t, 'race-st')).toBe(UNITS);
      expect(await stockOf(t, 'race-st', 'race-st-DROP')).toEqual({ onHand: 0, reserved: 0, available: 0 });
    }, 180_000);

    it('lapsed reservations are released by the sweeper once the (Stripe-aligned) hold ends', async () => {
      await t.call('PUT', '/api/v1/stores/race-st/inventory/race-st-DROP', { onHand: 3 }, adminHeaders);
      const cart = (await t.call('POST', '/api/v1/stores/race-st/carts')).body.id as string;
      await t.call('POST', `/api/v1/stores/race-st/carts/${cart}/items`, { sku: 'race-st-DROP', quantity: 3 });
      const r = await t.call('POST', `/api/v1/stores/race-st/carts/${cart}/checkout`, undefined, { 'idempotency-key': 'lapse-1' });
      expect(r.status).toBe(201);
      const orders = t.container.services.orders;
      clock.advance(20 * 60 * 1000); // past the store's 15 minutes, inside the 31-minute Stripe-aligned hold
      expect(await orders.releaseLapsed()).toBe(0);
      clock.advance(12 * 60 * 1000);
      expect(await orders.releaseLapsed()).toBe(1);
      expect(await stockOf(t, 'race-st', 'race-st-DROP')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    });
  });
});
