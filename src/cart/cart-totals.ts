import { multiply, sum } from '../shared/money.ts';
import type { TotalsAdjuster } from './cart.ports.ts';
import type { CartRecord, Totals } from './cart.types.ts';

/** Totals from server-side prices only; adjusters (promotions, shipping, tax) run in order. */
export async function computeTotals(cart: CartRecord, adjusters: readonly TotalsAdjuster[]): Promise<Totals> {
  const subtotal = sum(cart.lines.map((l) => multiply(l.unitPrice, l.quantity)));
  let totals: Totals = { subtotal, discountTotal: 0, shippingTotal: 0, taxTotal: 0, total: subtotal, currency: cart.currency };
  for (const a of adjusters) totals = await a.adjust(cart, totals);
  const expected = totals.subtotal - totals.discountTotal + totals.shippingTotal + totals.taxTotal;
  if (totals.total !== expected || totals.total < 0 || !Number.isSafeInteger(totals.total)) {
    throw new Error(`totals do not add up after adjusters (${adjusters.map((a) => a.name).join(', ')})`);
  }
  return totals;
}
