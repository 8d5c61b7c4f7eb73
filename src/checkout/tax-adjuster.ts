import type { TotalsAdjuster } from '../cart/cart.ports.ts';
import type { CartRecord, Totals } from '../cart/cart.types.ts';
import { divRoundHalfUp } from './rounding.ts';
import type { StorePricingSource } from './shipping-adjuster.ts';

const BPS = 10_000n;

/**
 * Tax on base = subtotal − discount + shipping, in whole minor units rounded
 * half-up, once per cart (not per line):
 * - exclusive: tax = base × rate, added to the total;
 * - inclusive: the prices already hold it, tax = base × rate / (1 + rate); it is
 *   reported in taxTotal (taxIncluded) and the total does not change.
 */
export function taxFor(base: number, rateBps: number, inclusive: boolean): number {
  if (base <= 0 || rateBps <= 0) return 0;
  const b = BigInt(base);
  const r = BigInt(rateBps);
  return inclusive ? divRoundHalfUp(b * r, BPS + r) : divRoundHalfUp(b * r, BPS);
}

/** Runs last: its base includes shipping. */
export class TaxAdjuster implements TotalsAdjuster {
  readonly name = 'tax';

  constructor(private readonly pricing: StorePricingSource) {}

  async adjust(cart: CartRecord, totals: Totals): Promise<Totals> {
    if (cart.lines.length === 0) return totals;
    const { taxRateBps, taxInclusive } = await this.pricing(cart.storeId);
    const tax = taxFor(totals.subtotal - totals.discountTotal + totals.shippingTotal, taxRateBps, taxInclusive);
    if (tax === 0) return totals;
    if (taxInclusive) return { ...totals, taxTotal: tax, taxIncluded: true };
    return { ...totals, taxTotal: tax, taxIncluded: false, total: totals.total + tax };
  }
}
