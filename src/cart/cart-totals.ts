import { multiply, sum } from '../shared/money.ts';
import type { TotalsAdjuster } from './cart.ports.ts';
import type { CartRecord, Totals } from './cart.types.ts';

/** Totals from server-side prices only; adjusters (promotions, shipping, tax) run in order. */
export async function computeTotals(cart: CartRecord, adjusters: readonly TotalsAdjuster[]): Promise<Totals> {
  const subtotal = sum(cart.lines.map((l) => multiply(l.unitPrice, l.quantity)));
  let totals: Totals = { subtotal, discountTotal: 0, shippingTotal: 0, taxTotal: 0, total: subtotal, currency: cart.currency, taxIncluded: false };
  for (const a of adjusters) totals = await a.adjust(cart, totals);
  const expected = totals.subtotal - totals.discountTotal + totals.shippingTotal + (totals.taxIncluded ? 0 : totals.taxTotal);
  if (totals.total !== expected || totals.total < 0 || !Number.isSafeInteger(totals.total)) {
    throw new Error(`totals do not add up after adjusters (${adjusters.map((a) => a.name).join(', ')})`);
  }
  return totals;
}

/**
 * Whether an order's (or cart's) taxTotal is contained in its total rather than
 * added to it. Orders store no flag: it follows exactly from the amounts, since
 * computeTotals only lets through the two shapes (tax added, or tax included).
 */
export function taxIsIncluded(t: Pick<Totals, 'subtotal' | 'discountTotal' | 'shippingTotal' | 'taxTotal' | 'total'>): boolean {
  return t.taxTotal > 0 && t.total === t.subtotal - t.discountTotal + t.shippingTotal;
}
