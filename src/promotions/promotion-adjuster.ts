import type { PromotionChecker, TotalsAdjuster } from '../cart/cart.ports.ts';
import type { CartRecord, Totals } from '../cart/cart.types.ts';
import type { PromotionCart } from './promotion.types.ts';
import type { PromotionService } from './promotions.service.ts';

const promotionCart = (cart: CartRecord): PromotionCart => ({
  currency: cart.currency,
  lines: cart.lines.map((l) => ({ id: l.id, productId: l.productId, categoryId: l.categoryId, unitPrice: l.unitPrice, quantity: l.quantity })),
});

/**
 * The cart's promo code in its totals: the first adjuster, so shipping (which
 * a free-shipping code waives) and tax see the discounted goods. A code that
 * stopped applying (expired, used up, the cart changed) simply gives nothing;
 * the shopper sees the total without it.
 */
export class PromotionAdjuster implements TotalsAdjuster, PromotionChecker {
  readonly name = 'promotion';

  constructor(private readonly promotions: PromotionService) {}

  async check(cart: CartRecord, code: string) {
    const r = await this.promotions.check(cart.storeId, code, promotionCart(cart), cart.customerId);
    return r.ok ? { ok: true as const, code: r.rule.code } : { ok: false as const, refusal: r.refusal };
  }

  /** The typed code when it applies, else the best running sale: one promotion per cart. */
  async adjust(cart: CartRecord, totals: Totals): Promise<Totals> {
    if (cart.lines.length === 0) return totals;
    const typed = cart.promotionCode ? await this.promotions.check(cart.storeId, cart.promotionCode, promotionCart(cart), cart.customerId) : null;
    const applied = typed?.ok ? typed : await this.promotions.bestSale(cart.storeId, promotionCart(cart), cart.customerId);
    if (!applied) return totals;
    const discount = Math.min(applied.outcome.discount, totals.subtotal - totals.discountTotal);
    return {
      ...totals,
      discountTotal: totals.discountTotal + discount,
      total: totals.total - discount,
      promotion: { code: applied.rule.code, freeShipping: applied.outcome.freeShipping, automatic: applied.rule.automatic },
    };
  }
}
