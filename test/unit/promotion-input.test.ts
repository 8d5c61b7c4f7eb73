import { describe, expect, it } from 'vitest';
import { percentToBps, validatePromotion } from '../../src/promotions/promotion-input.ts';

describe('promotion input', () => {
  it('normalises a valid promotion into a rule draft', () => {
    const r = validatePromotion({ code: ' spring20 ', kind: 'percent', percentOff: 20, minSubtotal: 3000, productIds: ['a', 'a'] }, 'EUR');
    expect(r.ok && r.draft).toMatchObject({ code: 'SPRING20', percentBps: 2000, amountOff: null, minSubtotal: 3000, productIds: ['a'], currency: 'EUR' });
    const bxgy = validatePromotion({ code: 'B2G1', kind: 'buy_x_get_y', buyQuantity: 2, getQuantity: 1 }, 'EUR');
    expect(bxgy.ok && bxgy.draft).toMatchObject({ percentBps: 10000, buyQuantity: 2, getQuantity: 1 });
  });

  it('lists every problem at once, by field', () => {
    const r = validatePromotion(
      { code: 'x', kind: 'fixed', percentOff: 10, minSubtotal: -1, totalLimit: 0, startsAt: new Date('2026-12-02'), endsAt: new Date('2026-12-01') },
      'EUR',
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.path)).toEqual(['code', 'amountOff', 'percentOff', 'minSubtotal', 'totalLimit', 'endsAt']);
    const p = validatePromotion({ code: 'HALF', kind: 'percent' }, 'EUR');
    expect(!p.ok && p.issues[0]?.message).toMatch(/required/);
  });

  it('reads percentages with at most two decimals', () => {
    expect(percentToBps(12.5)).toBe(1250);
    expect(percentToBps(100)).toBe(10000);
    expect(percentToBps(0)).toBeNull();
    expect(percentToBps(100.01)).toBeNull();
    expect(percentToBps(12.345)).toBeNull();
    expect(percentToBps(Number.NaN)).toBeNull();
  });
});
