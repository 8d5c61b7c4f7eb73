import { describe, expect, it } from 'vitest';
import { computeTotals, taxIsIncluded } from '../../src/cart/cart-totals.ts';
import type { CartLine, CartRecord } from '../../src/cart/cart.types.ts';
import type { ShippingRate, StorePricing } from '../../src/catalog/store-settings.ts';
import { parseShippingRates, shippingRatesSchema } from '../../src/catalog/store-settings.ts';
import { divRoundHalfUp } from '../../src/checkout/rounding.ts';
import { ShippingAdjuster } from '../../src/checkout/shipping-adjuster.ts';
import { TaxAdjuster, taxFor } from '../../src/checkout/tax-adjuster.ts';

let n = 0;
function line(unitPrice: number, quantity: number, weightGrams: number | null): CartLine {
  n += 1;
  return {
    id: `l${n}`,
    variantId: `v${n}`,
    productId: `p${n}`,
    productSlug: `p${n}`,
    productTitle: `P${n}`,
    productStatus: 'active',
    categoryId: null,
    sku: `SKU${n}`,
    variantTitle: '',
    imageUrl: null,
    quantity,
    unitPrice,
    currency: 'EUR',
    available: 99,
    bundleParts: null,
    weightGrams,
  };
}
function cart(...lines: CartLine[]): CartRecord {
  return {
    id: 'c',
    storeId: 's',
    customerId: null,
    status: 'open',
    currency: 'EUR',
    channel: null,
    shippingAddress: null,
    promotionCode: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    lines,
  };
}
function totalsFor(c: CartRecord, pricing: Partial<StorePricing>) {
  const settings: StorePricing = { taxRateBps: 0, taxInclusive: true, shippingRates: [], ...pricing };
  const source = (storeId: string) => {
    expect(storeId).toBe('s');
    return Promise.resolve(settings);
  };
  return computeTotals(c, [new ShippingAdjuster(source), new TaxAdjuster(source)]);
}

const flat: ShippingRate = { name: 'Standard', kind: 'flat', amount: 490, freeOver: 5000 };
const byWeight: ShippingRate = {
  name: 'Parcel',
  kind: 'weight',
  brackets: [
    { upToGrams: 500, amount: 490 },
    { upToGrams: 2000, amount: 690 },
    { upToGrams: 10_000, amount: 1290 },
  ],
};

describe('shipping adjuster', () => {
  it('charges a flat rate on physical goods and waives it from freeOver (subtotal − discount ≥ freeOver)', async () => {
    expect(await totalsFor(cart(line(4999, 1, 300)), { shippingRates: [flat] })).toMatchObject({ shippingTotal: 490, total: 5489 });
    expect(await totalsFor(cart(line(2500, 2, 300)), { shippingRates: [flat] })).toMatchObject({ shippingTotal: 0, total: 5000 });
  });

  it('prices weight brackets on the cart’s total grams; heavier than every bracket → the last one', async () => {
    const rates = [byWeight];
    expect((await totalsFor(cart(line(1000, 1, 500)), { shippingRates: rates })).shippingTotal).toBe(490);
    expect((await totalsFor(cart(line(1000, 2, 300)), { shippingRates: rates })).shippingTotal).toBe(690);
    expect((await totalsFor(cart(line(1000, 1, 1500), line(500, 1, 501)), { shippingRates: rates })).shippingTotal).toBe(1290);
    expect((await totalsFor(cart(line(1000, 40, 1000)), { shippingRates: rates })).shippingTotal).toBe(1290);
  });

  it('ships nothing for a digital-only cart (0 g); unweighed (null) lines are physical at 0 g', async () => {
    expect(await totalsFor(cart(line(900, 3, 0)), { shippingRates: [flat] })).toMatchObject({ shippingTotal: 0, total: 2700 });
    expect((await totalsFor(cart(line(900, 1, null)), { shippingRates: [flat] })).shippingTotal).toBe(490);
    // Digital lines add no grams: 400 g of mugs stays in the first bracket.
    expect((await totalsFor(cart(line(900, 5, 0), line(1000, 1, 400)), { shippingRates: [byWeight] })).shippingTotal).toBe(490);
    expect((await totalsFor(cart(line(900, 1, null)), { shippingRates: [byWeight] })).shippingTotal).toBe(490);
  });

  it('quotes the first rate without a country list, and nothing without rates', async () => {
    const onlyUs: ShippingRate = { name: 'US', kind: 'flat', amount: 1500, countries: ['US'] };
    expect((await totalsFor(cart(line(1000, 1, 300)), { shippingRates: [onlyUs, flat] })).shippingTotal).toBe(490);
    expect((await totalsFor(cart(line(1000, 1, 300)), { shippingRates: [onlyUs] })).shippingTotal).toBe(1500);
    expect((await totalsFor(cart(line(1000, 1, 300)), {})).shippingTotal).toBe(0);
  });
});

describe('tax adjuster', () => {
  it('adds exclusive tax on subtotal + shipping, rounded half-up on the minor unit', async () => {
    const t = await totalsFor(cart(line(1999, 1, 300)), { taxRateBps: 2000, taxInclusive: false, shippingRates: [flat] });
    // (1999 + 490) × 20 % = 497.8 → 498
    expect(t).toMatchObject({ subtotal: 1999, shippingTotal: 490, taxTotal: 498, total: 1999 + 490 + 498, taxIncluded: false });
    expect(taxFor(25, 1000, false)).toBe(3); // 2.5 → 3
    expect(taxFor(24, 1000, false)).toBe(2); // 2.4 → 2
    expect(taxFor(1, 5000, false)).toBe(1); // 0.5 → 1
  });

  it('reports inclusive tax without adding it, and the totals still add up', async () => {
    const t = await totalsFor(cart(line(5900, 1, 450)), { taxRateBps: 2000, taxInclusive: true, shippingRates: [flat] });
    // 5900 ≥ 5000: free shipping; 5900 × 2000 / 12000 = 983.33 → 983
    expect(t).toMatchObject({ subtotal: 5900, shippingTotal: 0, taxTotal: 983, total: 5900, taxIncluded: true });
    expect(taxIsIncluded(t)).toBe(true);
    const withShipping = await totalsFor(cart(line(1000, 1, 450)), { taxRateBps: 2000, taxInclusive: true, shippingRates: [flat] });
    // (1000 + 490) / 6 = 248.33 → 248, contained in 1490
    expect(withShipping).toMatchObject({ shippingTotal: 490, taxTotal: 248, total: 1490 });
    expect(taxFor(3, 2000, true)).toBe(1); // 0.5 → 1
    expect(taxFor(2, 2000, true)).toBe(0); // 0.33 → 0
  });

  it('leaves untaxed carts alone and never uses floats for large amounts', async () => {
    const t = await totalsFor(cart(line(1000, 1, 0)), { taxRateBps: 0, taxInclusive: false });
    expect(t).toMatchObject({ taxTotal: 0, total: 1000, taxIncluded: false });
    expect(taxIsIncluded(t)).toBe(false);
    expect(taxFor(1_999_999_999, 10_000, false)).toBe(1_999_999_999);
    expect(divRoundHalfUp(2_000_000_001n * 1999n, 10_000n)).toBe(399_800_000); // 399 800 000.1999 → 399 800 000
    expect(() => divRoundHalfUp(-1n, 2n)).toThrow(RangeError);
  });
});

describe('shipping rate validation', () => {
  it('accepts flat and weight rates and refuses malformed ones', () => {
    expect(shippingRatesSchema.safeParse([flat, byWeight]).success).toBe(true);
    const bad = [
      [{ name: 'x', kind: 'flat', amount: 4.9 }],
      [{ name: 'x', kind: 'flat', amount: -1 }],
      [{ name: 'x', kind: 'weight', brackets: [] }],
      [
        {
          name: 'x',
          kind: 'weight',
          brackets: [
            { upToGrams: 500, amount: 1 },
            { upToGrams: 500, amount: 2 },
          ],
        },
      ],
      [{ name: 'x', kind: 'pigeon', amount: 1 }],
      [{ name: 'x', kind: 'flat', amount: 1, countries: ['de'] }],
      [{ name: 'x', kind: 'flat', amount: 1, extra: true }],
    ];
    for (const b of bad) expect(shippingRatesSchema.safeParse(b).success, JSON.stringify(b)).toBe(false);
    expect(parseShippingRates(null)).toEqual([]);
    expect(parseShippingRates([{ kind: 'nonsense' }])).toEqual([]);
  });
});
