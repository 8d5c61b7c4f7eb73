import { multiply, sum } from '../shared/money.ts';
import type {
  PromotionCart,
  PromotionLine,
  PromotionOutcome,
  PromotionRefusal,
  PromotionRule,
  PromotionUsage,
} from './promotion.types.ts';

export type Evaluation = { ok: true; value: PromotionOutcome } | { ok: false; refusal: PromotionRefusal };

const refuse = (refusal: PromotionRefusal): Evaluation => ({ ok: false, refusal });

/** Whether a line counts for the rule's scope (no products and no categories named: every line). */
export function inScope(rule: Pick<PromotionRule, 'productIds' | 'categoryIds'>, line: Pick<PromotionLine, 'productId' | 'categoryId'>): boolean {
  if (rule.productIds.length === 0 && rule.categoryIds.length === 0) return true;
  return rule.productIds.includes(line.productId) || (line.categoryId !== null && rule.categoryIds.includes(line.categoryId));
}

/** The conditions that do not depend on the discount: active, dates, currency, first order, limits. */
function refusalOf(rule: PromotionRule, cart: PromotionCart, usage: PromotionUsage, now: Date): PromotionRefusal | null {
  if (!rule.active) return { code: 'INACTIVE' };
  if (rule.startsAt && now < rule.startsAt) return { code: 'NOT_STARTED', at: rule.startsAt };
  if (rule.endsAt && now >= rule.endsAt) return { code: 'EXPIRED', at: rule.endsAt };
  if (rule.currency !== cart.currency) return { code: 'CURRENCY' };
  if (rule.totalLimit !== null && usage.totalUses >= rule.totalLimit) return { code: 'USAGE_LIMIT' };
  if (rule.budget !== null && usage.discountSpent >= rule.budget && rule.kind !== 'free_shipping') return { code: 'BUDGET_SPENT' };
  if ((rule.firstOrderOnly || rule.perCustomerLimit !== null) && usage.customerOrders === null) return { code: 'SIGN_IN_REQUIRED' };
  if (rule.firstOrderOnly && (usage.customerOrders ?? 0) > 0) return { code: 'FIRST_ORDER_ONLY' };
  if (rule.perCustomerLimit !== null && usage.customerUses >= rule.perCustomerLimit) return { code: 'CUSTOMER_LIMIT' };
  return null;
}

/** `amount` × bps / 10000, rounded half up, exact for any amount a cart can hold. */
export function percentOf(amount: number, bps: number): number {
  return Number((BigInt(amount) * BigInt(bps) + 5000n) / 10000n);
}

/**
 * Spreads `total` over the lines in proportion to their value, in whole minor
 * units; the rounding remainder goes to the dearest lines first, so the parts
 * always add up to `total` and no line gets more than it costs.
 */
export function allocate(total: number, lines: readonly { id: string; value: number }[]): Record<string, number> {
  const base = sum(lines.map((l) => l.value));
  const out: Record<string, number> = {};
  if (base === 0 || total === 0) return Object.fromEntries(lines.map((l) => [l.id, 0]));
  let given = 0;
  for (const l of lines) {
    const part = Number((BigInt(total) * BigInt(l.value)) / BigInt(base));
    out[l.id] = part;
    given += part;
  }
  for (const l of [...lines].sort((a, b) => b.value - a.value)) {
    if (given >= total) break;
    const room = l.value - (out[l.id] ?? 0);
    const add = Math.min(room, total - given);
    out[l.id] = (out[l.id] ?? 0) + add;
    given += add;
  }
  return out;
}

/**
 * Buy X get Y: of the eligible units, every group of X + Y gives its Y
 * cheapest units percentBps off (the shopper's best deal is the store's
 * usual rule too: the dearest units are the ones paid for).
 */
function buyXGetY(rule: PromotionRule, eligible: readonly PromotionLine[]): Record<string, number> {
  const buy = rule.buyQuantity ?? 0;
  const get = rule.getQuantity ?? 0;
  const units = eligible.flatMap((l) => Array.from({ length: l.quantity }, () => l)).sort((a, b) => a.unitPrice - b.unitPrice);
  const free = Math.floor(units.length / (buy + get)) * get;
  const out: Record<string, number> = {};
  for (const l of units.slice(0, free)) out[l.id] = (out[l.id] ?? 0) + percentOf(l.unitPrice, rule.percentBps ?? 10000);
  return out;
}

/**
 * What a promotion gives this cart now, or why it does not apply. Pure: the
 * caller supplies the usage counts, and the redemption at checkout re-checks
 * the limits atomically.
 */
export function evaluatePromotion(rule: PromotionRule, cart: PromotionCart, usage: PromotionUsage, now: Date): Evaluation {
  const refusal = refusalOf(rule, cart, usage, now);
  if (refusal) return refuse(refusal);
  const eligible = cart.lines.filter((l) => l.quantity > 0 && inScope(rule, l));
  if (eligible.length === 0) return refuse({ code: 'NOT_APPLICABLE' });
  const value = (l: PromotionLine) => multiply(l.unitPrice, l.quantity);
  const eligibleSubtotal = sum(eligible.map(value));
  if (rule.minSubtotal !== null && eligibleSubtotal < rule.minSubtotal) return refuse({ code: 'MIN_SUBTOTAL', minSubtotal: rule.minSubtotal });

  const weighted = eligible.map((l) => ({ id: l.id, value: value(l) }));
  let lineDiscounts: Record<string, number>;
  switch (rule.kind) {
    case 'free_shipping':
      return { ok: true, value: { discount: 0, freeShipping: true, lineDiscounts: {} } };
    case 'percent':
      lineDiscounts = allocate(percentOf(eligibleSubtotal, rule.percentBps ?? 0), weighted);
      break;
    case 'fixed':
      lineDiscounts = allocate(Math.min(rule.amountOff ?? 0, eligibleSubtotal), weighted);
      break;
    case 'buy_x_get_y':
      lineDiscounts = buyXGetY(rule, eligible);
      break;
  }
  let discount = sum(Object.values(lineDiscounts));
  if (rule.budget !== null) {
    const left = Math.max(0, rule.budget - usage.discountSpent);
    if (discount > left) {
      lineDiscounts = allocate(left, weighted);
      discount = left;
    }
  }
  if (discount === 0) return refuse({ code: 'NOT_APPLICABLE' });
  return { ok: true, value: { discount, freeShipping: false, lineDiscounts } };
}
