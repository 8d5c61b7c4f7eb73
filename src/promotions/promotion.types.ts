/** What a promotion gives. Rules are data; promotion-rules.ts evaluates them. */
export const promotionKinds = ['percent', 'fixed', 'free_shipping', 'buy_x_get_y'] as const;
export type PromotionKind = (typeof promotionKinds)[number];

export interface PromotionRule {
  id: string;
  storeId: string;
  /** What shoppers type, stored upper case ("SPRING20"). */
  code: string;
  kind: PromotionKind;
  /** percent: basis points off the eligible lines (2000 = 20 %). buy_x_get_y: off each free unit (10000 = free). */
  percentBps: number | null;
  /** fixed: minor units off the eligible lines, in the store currency. */
  amountOff: number | null;
  /** buy_x_get_y: buy this many eligible units … */
  buyQuantity: number | null;
  /** … and this many more (the cheapest of each group) are discounted by percentBps. */
  getQuantity: number | null;
  currency: string;
  /** Eligible lines' subtotal must reach this (minor units). */
  minSubtotal: number | null;
  /** Scope: only these products and/or categories count; both empty means the whole catalog. */
  productIds: string[];
  categoryIds: string[];
  firstOrderOnly: boolean;
  perCustomerLimit: number | null;
  totalLimit: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  /** Most discount this promotion may give over all its redemptions (minor units). */
  budget: number | null;
  active: boolean;
  /** A sale: applies to carts in scope without a code. */
  automatic: boolean;
}

/** How much a promotion has been used so far, for the limits. */
export interface PromotionUsage {
  totalUses: number;
  /** Uses by this customer (0 for an anonymous cart). */
  customerUses: number;
  /** Discount given so far (minor units), for the budget. */
  discountSpent: number;
  /** Paid orders this customer already has; null when the cart has no customer. */
  customerOrders: number | null;
}

/** A cart line as a promotion sees it. */
export interface PromotionLine {
  id: string;
  productId: string;
  categoryId: string | null;
  unitPrice: number;
  quantity: number;
}

export interface PromotionCart {
  currency: string;
  lines: readonly PromotionLine[];
}

export type PromotionRefusalCode =
  | 'INACTIVE'
  | 'NOT_STARTED'
  | 'EXPIRED'
  | 'CURRENCY'
  | 'MIN_SUBTOTAL'
  | 'FIRST_ORDER_ONLY'
  | 'SIGN_IN_REQUIRED'
  | 'USAGE_LIMIT'
  | 'CUSTOMER_LIMIT'
  | 'BUDGET_SPENT'
  | 'NOT_APPLICABLE';

/** Why a code does not apply, with what a shopper needs to know to fix it. */
export interface PromotionRefusal {
  code: PromotionRefusalCode;
  /** MIN_SUBTOTAL: the minimum; NOT_STARTED / EXPIRED: the date. */
  minSubtotal?: number;
  at?: Date;
}

export interface PromotionOutcome {
  /** Minor units off the goods; never more than the eligible lines cost. */
  discount: number;
  freeShipping: boolean;
  /** Discount per cart line id, adding up to `discount`. */
  lineDiscounts: Record<string, number>;
}
