import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';
import { createShop } from '../helpers/shop.ts';

const shop = 'promo';
const base = `/api/v1/stores/${shop}`;

describe.each(databases)(`promo codes in the cart and at checkout (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let keys = 0;

  const cartWith = async (lines: Record<string, number>) => {
    const id = (await t.call('POST', `${base}/carts`)).body.id as string;
    for (const [sku, quantity] of Object.entries(lines)) expect((await t.call('POST', `${base}/carts/${id}/items`, { sku, quantity })).status).toBe(200);
    return id;
  };
  const apply = (cart: string, code: string) => t.call('PUT', `${base}/carts/${cart}/promotion`, { code });
  const checkout = (cart: string) => t.call('POST', `${base}/carts/${cart}/checkout`, undefined, { 'idempotency-key': `promo-${kind}-${++keys}` });
  const promo = async (code: string) => ((await t.call('GET', `${base}/promotions`, undefined, adminHeaders)).body.items as { code: string; uses: number; discountGiven: number }[]).find((p) => p.code === code);

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createShop(t, shop, { mug: 50, ebook: 50 });
    expect((await t.call('PATCH', base, { shippingRates: [{ name: 'Standard', kind: 'flat', amount: 490 }] }, adminHeaders)).status).toBe(200);
    for (const p of [
      { code: 'SAVE10', kind: 'percent', percentOff: 10, minSubtotal: 2000 },
      { code: 'SHIPFREE', kind: 'free_shipping' },
      { code: 'ONCE', kind: 'fixed', amountOff: 500, totalLimit: 1 },
    ]) {
      expect((await t.call('POST', `${base}/promotions`, p, adminHeaders)).status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('takes the discount before shipping, says why a code does not apply, and keeps the cart as it was', async () => {
    const cart = await cartWith({ [`${shop}-MUG`]: 2 });
    const ok = await apply(cart, 'save10');
    expect(ok.status).toBe(200);
    expect(ok.body.totals).toMatchObject({ subtotal: { amount: 2500 }, discount: { amount: 250 }, shipping: { amount: 490 }, total: { amount: 2740 } });
    expect(ok.body.promotion).toEqual({ code: 'SAVE10', applies: true, freeShipping: false, automatic: false });

    const unknown = await apply(cart, 'NOPE');
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'PROMOTION_REFUSED', message: 'There is no such code', details: { refusal: { code: 'UNKNOWN_CODE' } } });
    expect((await t.call('GET', `${base}/carts/${cart}`)).body.promotion.code).toBe('SAVE10');

    const small = await cartWith({ [`${shop}-EBOOK`]: 1 });
    const refused = await apply(small, 'SAVE10');
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toBe('This code needs a minimum of 20.00 EUR of eligible items');

    const free = await apply(cart, 'SHIPFREE');
    expect(free.body.totals).toMatchObject({ discount: { amount: 0 }, shipping: { amount: 0 }, total: { amount: 2500 } });
    // Taking items out below the minimum: the code stays but gives nothing, and says so.
    const removed = await t.call('DELETE', `${base}/carts/${cart}/promotion`);
    expect(removed.body.promotion).toBeNull();
    expect(removed.body.totals.total.amount).toBe(2990);
  });

  it('redeems at checkout, once per limited code even when two shoppers race, and gives the use back on cancel', async () => {
    const a = await cartWith({ [`${shop}-MUG`]: 1 });
    const b = await cartWith({ [`${shop}-MUG`]: 1 });
    expect((await apply(a, 'ONCE')).status).toBe(200);
    expect((await apply(b, 'ONCE')).status).toBe(200);
    const [ra, rb] = await Promise.all([checkout(a), checkout(b)]);
    const won = [ra, rb].filter((r) => r.status === 201);
    const lost = [ra, rb].filter((r) => r.status === 422);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.body.error.code).toBe('PROMOTION_REFUSED');
    expect(won[0]?.body.order).toMatchObject({ discount: { amount: 500 } });
    expect(await promo('ONCE')).toMatchObject({ uses: 1, discountGiven: 500 });
    // The loser's cart is still open: nothing was held for it.
    const loserCart = ra.status === 422 ? a : b;
    expect((await t.call('GET', `${base}/carts/${loserCart}`)).body.status).toBe('open');
    expect((await apply(loserCart, 'ONCE')).body.error.message).toBe('This code has been used up');

    const order = won[0]?.body.order.id as string;
    expect((await t.call('POST', `${base}/orders/${order}/transitions`, { to: 'cancelled' }, adminHeaders)).status).toBe(200);
    expect(await promo('ONCE')).toMatchObject({ uses: 0, discountGiven: 0 });
    expect((await apply(loserCart, 'ONCE')).status).toBe(200);
    expect((await checkout(loserCart)).status).toBe(201);
  });

  it('counts products in sub-categories for a code scoped to their parent category', async () => {
    const category = (body: object) => t.call('POST', `${base}/categories`, body, adminHeaders);
    expect((await category({ slug: 'apparel', name: 'Apparel' })).status).toBe(201);
    expect((await category({ slug: 'hoodies', name: 'Hoodies', parent: 'apparel' })).status).toBe(201);
    const product = (slug: string, sku: string, cat: string) =>
      t.call('POST', `${base}/products`, { title: slug, slug, category: cat, variants: [{ sku, price: 4000, onHand: 10 }] }, adminHeaders);
    expect((await product('zip-hoodie', `${shop}-HOOD`, 'hoodies')).status).toBe(201);
    expect((await t.call('POST', `${base}/promotions`, { code: 'APPAREL25', kind: 'percent', percentOff: 25, categories: ['apparel'] }, adminHeaders)).status).toBe(201);

    const cart = await cartWith({ [`${shop}-HOOD`]: 1, [`${shop}-MUG`]: 1 });
    const applied = await apply(cart, 'APPAREL25');
    expect(applied.status).toBe(200);
    // 25% of the hoodie only; the mug is in no category.
    expect(applied.body.totals.discount.amount).toBe(1000);
  });

  it('refuses a checkout whose code was used up after it was applied, instead of charging the full price', async () => {
    expect((await t.call('POST', `${base}/promotions`, { code: 'SINGLE', kind: 'fixed', amountOff: 300, totalLimit: 1 }, adminHeaders)).status).toBe(201);
    const first = await cartWith({ [`${shop}-MUG`]: 1 });
    const second = await cartWith({ [`${shop}-MUG`]: 1 });
    expect((await apply(first, 'SINGLE')).status).toBe(200);
    expect((await apply(second, 'SINGLE')).status).toBe(200);
    expect((await checkout(first)).status).toBe(201);
    const late = await checkout(second);
    expect(late.status).toBe(422);
    expect(late.body.error).toMatchObject({ code: 'PROMOTION_REFUSED', details: { code: 'SINGLE', refusal: { code: 'USAGE_LIMIT' } } });
    expect(late.body.error.message).toBe('The code SINGLE cannot be used: This code has been used up; remove it to check out without it');
    expect((await t.call('GET', `${base}/carts/${second}`)).body).toMatchObject({ status: 'open', promotion: { code: 'SINGLE', applies: false } });
    expect(await promo('SINGLE')).toMatchObject({ uses: 1, discountGiven: 300 });
  });
});
