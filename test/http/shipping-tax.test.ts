import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/time.ts';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-api.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const flat = { name: 'Standard', kind: 'flat', amount: 490, freeOver: 5000 };

describe.each(databases)(`per-store shipping and tax over REST (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let stripe: FakeStripe;
  let keys = 0;
  const patch = (body: unknown) => t.call('PATCH', '/api/v1/stores/tx', body, adminHeaders);
  const cartWith = async (lines: Record<string, number>) => {
    const cart = (await t.call('POST', '/api/v1/stores/tx/carts')).body.id as string;
    let last = null;
    for (const [sku, quantity] of Object.entries(lines)) {
      last = await t.call('POST', `/api/v1/stores/tx/carts/${cart}/items`, { sku, quantity });
      expect(last.status).toBe(200);
    }
    return { cart, totals: last?.body.totals };
  };
  const checkout = (cart: string) =>
    t.call('POST', `/api/v1/stores/tx/carts/${cart}/checkout`, undefined, { 'idempotency-key': `tx-${++keys}` });
  const stripeLines = (orderId: string) => {
    const call = stripe
      .callsTo('POST', '/v1/checkout/sessions')
      .find((c) => (c.body.metadata as Record<string, string>).order_id === orderId);
    return (call?.body.line_items as { quantity: string; price_data: { unit_amount: string; product_data: { name: string } } }[]).map(
      (l) => [l.price_data.product_data.name, Number(l.price_data.unit_amount) * Number(l.quantity)],
    );
  };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = await createTestApp(kind, {
      clock: new ManualClock(new Date()),
      env: {
        STRIPE_SECRET_KEY: 'sk_test_chatshop',
        STRIPE_WEBHOOK_SECRET: 'whsec_test_0123456789',
        STRIPE_API_BASE: stripe.url,
        PUBLIC_URL: 'https://shop.example',
      },
    });
    expect((await t.call('POST', '/api/v1/stores', { slug: 'tx', name: 'Tax shop', currency: 'EUR' }, adminHeaders)).status).toBe(201);
    const products = [
      { title: 'Enamel Mug', variants: [{ sku: 'TX-MUG', price: 1250, onHand: 50, weightGrams: 300 }] },
      { title: 'Brewing E-book', variants: [{ sku: 'TX-EBOOK', price: 900, onHand: 50, weightGrams: 0 }] },
    ];
    for (const p of products) expect((await t.call('POST', '/api/v1/stores/tx/products', p, adminHeaders)).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });

  it('starts with no tax and no shipping, and refuses invalid settings with a clear 400', async () => {
    const store = await t.call('GET', '/api/v1/stores/tx');
    expect(store.body).toMatchObject({ taxRateBps: 0, taxInclusive: true, shippingRates: [] });
    const { totals } = await cartWith({ 'TX-MUG': 1 });
    expect(totals).toMatchObject({ shipping: eur(0), tax: eur(0), total: eur(1250), taxIncluded: false });

    for (const bad of [
      { taxRateBps: 20.5 },
      { taxRateBps: 10_001 },
      { taxInclusive: 'yes' },
      { shippingRates: [{ name: 'Pigeon', kind: 'pigeon', amount: 100 }] },
      { shippingRates: [{ name: 'Std', kind: 'flat', amount: 4.9 }] },
      {
        shippingRates: [
          {
            name: 'Parcel',
            kind: 'weight',
            brackets: [
              { upToGrams: 2000, amount: 690 },
              { upToGrams: 500, amount: 490 },
            ],
          },
        ],
      },
    ]) {
      const r = await patch(bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      if (bad.shippingRates?.[0]?.kind === 'weight') expect(JSON.stringify(r.body.error)).toContain('increasing upToGrams');
    }
    expect((await t.call('PATCH', '/api/v1/stores/tx', { taxRateBps: 2000 })).status).toBe(401);
  });

  it('adds exclusive tax and flat shipping to the cart, the order and the Stripe session alike', async () => {
    const r = await patch({ taxRateBps: 2000, taxInclusive: false, shippingRates: [flat] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ taxRateBps: 2000, taxInclusive: false, shippingRates: [flat] });
    expect((await t.call('GET', '/api/v1/stores/tx')).body.shippingRates).toEqual([flat]);

    const { cart, totals } = await cartWith({ 'TX-MUG': 2, 'TX-EBOOK': 1 });
    // (2500 + 900 + 490) × 20 % = 778
    expect(totals).toEqual({
      subtotal: eur(3400),
      discount: eur(0),
      shipping: eur(490),
      tax: eur(778),
      taxIncluded: false,
      total: eur(4668),
    });
    const placed = await checkout(cart);
    expect(placed.status).toBe(201);
    const order = placed.body.order;
    expect(order).toMatchObject({
      subtotal: totals.subtotal,
      shipping: totals.shipping,
      tax: totals.tax,
      total: totals.total,
      taxIncluded: false,
    });
    expect(placed.body.payment.amount).toEqual(eur(4668));
    expect(stripeLines(order.id)).toEqual([
      ['Enamel Mug', 2500],
      ['Brewing E-book', 900],
      ['Shipping', 490],
      ['Tax', 778],
    ]);

    // freeOver: 2 × 2500 of goods ships free; tax on the goods alone.
    const big = await cartWith({ 'TX-MUG': 4 });
    expect(big.totals).toMatchObject({ shipping: eur(0), tax: eur(1000), total: eur(6000) });
  });

  it('reports inclusive tax without adding it, and Stripe gets no tax line', async () => {
    expect((await patch({ taxInclusive: true })).status).toBe(200);
    const { cart, totals } = await cartWith({ 'TX-MUG': 2 });
    // (2500 + 490) × 2000 / 12000 = 498.33 → 498, already inside 2990
    expect(totals).toMatchObject({ subtotal: eur(2500), shipping: eur(490), tax: eur(498), taxIncluded: true, total: eur(2990) });
    const placed = await checkout(cart);
    expect(placed.body.order).toMatchObject({ shipping: eur(490), tax: eur(498), total: eur(2990), taxIncluded: true });
    expect(stripeLines(placed.body.order.id)).toEqual([
      ['Enamel Mug', 2500],
      ['Shipping', 490],
    ]);

    const digital = await cartWith({ 'TX-EBOOK': 1 });
    expect(digital.totals).toMatchObject({ shipping: eur(0), tax: eur(150), total: eur(900), taxIncluded: true });
  });

  it('prices weight brackets on the cart’s grams', async () => {
    const parcel = {
      name: 'Parcel',
      kind: 'weight',
      brackets: [
        { upToGrams: 500, amount: 490 },
        { upToGrams: 2000, amount: 690 },
      ],
    };
    expect((await patch({ taxRateBps: 0, shippingRates: [parcel] })).status).toBe(200);
    expect((await cartWith({ 'TX-MUG': 1, 'TX-EBOOK': 3 })).totals).toMatchObject({
      shipping: eur(490),
      tax: eur(0),
      total: eur(1250 + 2700 + 490),
    });
    expect((await cartWith({ 'TX-MUG': 2 })).totals).toMatchObject({ shipping: eur(690), total: eur(3190) });
    expect((await cartWith({ 'TX-MUG': 10 })).totals.shipping).toEqual(eur(690));
    expect((await patch({ shippingRates: [] })).body.shippingRates).toEqual([]);
  });
});
