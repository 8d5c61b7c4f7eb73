import type { TotalsAdjuster } from '../cart/cart.ports.ts';
import type { CartLine, CartRecord, Totals } from '../cart/cart.types.ts';
import type { ShippingRate, StorePricing } from '../catalog/store-settings.ts';
import { multiply, sum } from '../shared/money.ts';

/** Where the adjusters read a store's shipping and tax settings (cached by the catalog). */
export type StorePricingSource = (storeId: string) => Promise<StorePricing>;

/** A line ships unless its variant weighs exactly 0 g (digital goods); unweighed (null) lines ship. */
export const isPhysical = (l: Pick<CartLine, 'weightGrams'>): boolean => l.weightGrams === null || l.weightGrams > 0;

/** Grams of the physical lines; an unweighed line counts 0 g (it still makes the cart ship). */
export function cartGrams(lines: readonly CartLine[]): number {
  return sum(lines.filter(isPhysical).map((l) => multiply(l.weightGrams ?? 0, l.quantity)));
}

/**
 * The rate quoted before payment: with a shipping address, the first rate
 * listing its country; otherwise (or when none lists it) the store's default,
 * the first rate without a country list, else the first rate.
 */
export function pickRate(rates: readonly ShippingRate[], country?: string): ShippingRate | null {
  const forCountry = country ? rates.find((r) => r.countries?.includes(country)) : undefined;
  return forCountry ?? rates.find((r) => !r.countries) ?? rates[0] ?? null;
}

/**
 * Price of one rate for a cart: flat → amount; weight → the first bracket
 * whose upToGrams the cart's grams do not exceed (heavier than every bracket:
 * the last one). Waived when subtotal − discount reaches freeOver.
 */
export function rateAmount(rate: ShippingRate, goods: number, grams: number): number {
  if (rate.freeOver !== undefined && goods >= rate.freeOver) return 0;
  if (rate.kind === 'flat') return rate.amount;
  const bracket = rate.brackets.find((b) => grams <= b.upToGrams) ?? rate.brackets[rate.brackets.length - 1];
  return bracket?.amount ?? 0;
}

/**
 * Shipping, applied after promotions and before tax. Nothing ships (0) when the
 * cart holds only digital lines or the store has no rates.
 */
export class ShippingAdjuster implements TotalsAdjuster {
  readonly name = 'shipping';

  constructor(private readonly pricing: StorePricingSource) {}

  async adjust(cart: CartRecord, totals: Totals): Promise<Totals> {
    if (!cart.lines.some(isPhysical) || totals.promotion?.freeShipping) return totals;
    const rate = pickRate((await this.pricing(cart.storeId)).shippingRates, cart.shippingAddress?.country);
    if (!rate) return totals;
    const shipping = rateAmount(rate, totals.subtotal - totals.discountTotal, cartGrams(cart.lines));
    if (shipping === 0) return totals;
    return { ...totals, shippingTotal: totals.shippingTotal + shipping, total: sum([totals.total, shipping]) };
  }
}
