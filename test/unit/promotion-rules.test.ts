import { describe, expect, it } from 'vitest';
import { allocate, evaluatePromotion, percentOf } from '../../src/promotions/promotion-rules.ts';
import type { PromotionCart, PromotionRule, PromotionUsage } from '../../src/promotions/promotion.types.ts';

const now = new Date('2026-11-26T12:00:00Z');

function rule(over: Partial<PromotionRule> = {}): PromotionRule {
  return {
    id: 'p1',
    storeId: 's1',
    code: 'SPRING20',
    kind: 'percent',
    percentBps: 2000,
    amountOff: null,
    buyQuantity: null,
    getQuantity: null,
    currency: 'EUR',
    minSubtotal: null,
    productIds: [],
    categoryIds: [],
    firstOrderOnly: false,
    perCustomerLimit: null,
    totalLimit: null,
    startsAt: null,
    endsAt: null,
    budget: null,
    active: true,
    automatic: false,
    ...over,
  };
}

const usage = (over: Partial<PromotionUsage> = {}): PromotionUsage => ({ totalUses: 0, customerUses: 0, discountSpent: 0, customerOrders: 0, ...over });

const cart: PromotionCart = {
  currency: 'EUR',
  lines: [
    { id: 'hoodie', productId: 'p-hoodie', categoryId: 'c-hoodies', unitPrice: 4900, quantity: 2 },
    { id: 'mug', productId: 'p-mug', categoryId: 'c-drinkware', unitPrice: 1250, quantity: 1 },
  ],
};

describe('promotion rules', () => {
  it('takes a percentage off every line, the parts adding up to the discount', () => {
    const r = evaluatePromotion(rule(), cart, usage(), now);
    expect(r).toEqual({ ok: true, value: { discount: 2210, freeShipping: false, lineDiscounts: { hoodie: 1960, mug: 250 } } });
  });

  it('limits a percentage to the products and categories in scope', () => {
    const r = evaluatePromotion(rule({ categoryIds: ['c-drinkware'] }), cart, usage(), now);
    expect(r.ok && r.value).toMatchObject({ discount: 250, lineDiscounts: { mug: 250 } });
    expect(evaluatePromotion(rule({ productIds: ['p-other'] }), cart, usage(), now)).toEqual({ ok: false, refusal: { code: 'NOT_APPLICABLE' } });
  });

  it('never takes a fixed amount beyond what the eligible lines cost', () => {
    const r = evaluatePromotion(rule({ kind: 'fixed', percentBps: null, amountOff: 5000, productIds: ['p-mug'] }), cart, usage(), now);
    expect(r.ok && r.value.discount).toBe(1250);
    const whole = evaluatePromotion(rule({ kind: 'fixed', percentBps: null, amountOff: 1000 }), cart, usage(), now);
    expect(whole.ok && whole.value).toMatchObject({ discount: 1000, lineDiscounts: { hoodie: 887, mug: 113 } });
  });

  it('gives the cheapest unit of each group of buy X get Y', () => {
    const three = { currency: 'EUR', lines: [{ id: 'a', productId: 'a', categoryId: null, unitPrice: 1000, quantity: 2 }, { id: 'b', productId: 'b', categoryId: null, unitPrice: 700, quantity: 3 }] };
    const r = evaluatePromotion(rule({ kind: 'buy_x_get_y', buyQuantity: 2, getQuantity: 1, percentBps: 10000 }), three, usage(), now);
    // 5 units: one group of 3, its cheapest unit (700) free.
    expect(r.ok && r.value).toMatchObject({ discount: 700, lineDiscounts: { b: 700 } });
    const half = evaluatePromotion(rule({ kind: 'buy_x_get_y', buyQuantity: 1, getQuantity: 1, percentBps: 5000 }), three, usage(), now);
    // 5 units: two groups of 2, the two cheapest (700, 700) half price.
    expect(half.ok && half.value.discount).toBe(700);
    const short = evaluatePromotion(rule({ kind: 'buy_x_get_y', buyQuantity: 5, getQuantity: 1 }), three, usage(), now);
    expect(short).toEqual({ ok: false, refusal: { code: 'NOT_APPLICABLE' } });
  });

  it('grants free shipping without touching the goods', () => {
    expect(evaluatePromotion(rule({ kind: 'free_shipping', percentBps: null }), cart, usage(), now)).toEqual({
      ok: true,
      value: { discount: 0, freeShipping: true, lineDiscounts: {} },
    });
  });

  it('says why a code does not apply', () => {
    const refusal = (r: ReturnType<typeof evaluatePromotion>) => (r.ok ? null : r.refusal);
    const end = new Date('2026-11-01T00:00:00Z');
    expect(refusal(evaluatePromotion(rule({ endsAt: end }), cart, usage(), now))).toEqual({ code: 'EXPIRED', at: end });
    const start = new Date('2026-12-01T00:00:00Z');
    expect(refusal(evaluatePromotion(rule({ startsAt: start }), cart, usage(), now))).toEqual({ code: 'NOT_STARTED', at: start });
    expect(refusal(evaluatePromotion(rule({ minSubtotal: 20000 }), cart, usage(), now))).toEqual({ code: 'MIN_SUBTOTAL', minSubtotal: 20000 });
    expect(refusal(evaluatePromotion(rule({ active: false }), cart, usage(), now))?.code).toBe('INACTIVE');
    expect(refusal(evaluatePromotion(rule({ currency: 'USD' }), cart, usage(), now))?.code).toBe('CURRENCY');
    expect(refusal(evaluatePromotion(rule({ totalLimit: 100 }), cart, usage({ totalUses: 100 }), now))?.code).toBe('USAGE_LIMIT');
    expect(refusal(evaluatePromotion(rule({ perCustomerLimit: 1 }), cart, usage({ customerUses: 1 }), now))?.code).toBe('CUSTOMER_LIMIT');
    expect(refusal(evaluatePromotion(rule({ firstOrderOnly: true }), cart, usage({ customerOrders: 2 }), now))?.code).toBe('FIRST_ORDER_ONLY');
    expect(refusal(evaluatePromotion(rule({ firstOrderOnly: true }), cart, usage({ customerOrders: null }), now))?.code).toBe('SIGN_IN_REQUIRED');
    expect(refusal(evaluatePromotion(rule({ budget: 5000 }), cart, usage({ discountSpent: 5000 }), now))?.code).toBe('BUDGET_SPENT');
  });

  it('the end time is exclusive and the start time inclusive', () => {
    expect(evaluatePromotion(rule({ endsAt: now }), cart, usage(), now).ok).toBe(false);
    expect(evaluatePromotion(rule({ startsAt: now }), cart, usage(), now).ok).toBe(true);
  });

  it('caps the discount at what is left of the budget', () => {
    const r = evaluatePromotion(rule({ budget: 5000 }), cart, usage({ discountSpent: 4000 }), now);
    expect(r.ok && r.value).toMatchObject({ discount: 1000 });
    expect(r.ok && Object.values(r.value.lineDiscounts).reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('rounds half up exactly and allocates without exceeding a line', () => {
    expect(percentOf(1250, 2000)).toBe(250);
    expect(percentOf(5, 5000)).toBe(3);
    expect(percentOf(1_999_999_999, 3333)).toBe(666_600_000);
    const parts = allocate(10, [{ id: 'a', value: 1 }, { id: 'b', value: 1 }, { id: 'c', value: 100 }]);
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(10);
    expect(parts.a).toBeLessThanOrEqual(1);
  });
});
