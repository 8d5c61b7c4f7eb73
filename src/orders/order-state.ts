/**
 * The order state machine as data. Each transition names its effect on stock:
 * - commit:  reserved units leave the shelf (onHand and reserved both drop)
 * - release: reserved units go back on sale (reserved drops)
 * - restock: units already sold come back (onHand rises)
 */
export const orderStatuses = [
  'pending_payment',
  'paid',
  'fulfilled',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
  'partially_refunded',
  'returned',
  'return_requested',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export type StockEffect = 'commit' | 'release' | 'restock' | null;

const table: Record<OrderStatus, Partial<Record<OrderStatus, StockEffect>>> = {
  pending_payment: { paid: 'commit', cancelled: 'release' },
  paid: { fulfilled: null, cancelled: 'restock', refunded: 'restock', partially_refunded: null },
  partially_refunded: { fulfilled: null, shipped: null, refunded: null, returned: 'restock' },
  fulfilled: { shipped: null, delivered: null, refunded: null, partially_refunded: null },
  shipped: { delivered: null, returned: 'restock', return_requested: null },
  delivered: { returned: 'restock', refunded: null, partially_refunded: null, return_requested: null },
  // The shopper asked to send it back: the seller approves (returned) or the order goes back where it was.
  return_requested: { returned: 'restock', shipped: null, delivered: null },
  returned: { refunded: null, partially_refunded: null },
  cancelled: {},
  refunded: {},
};

export function isOrderStatus(s: string): s is OrderStatus {
  return (orderStatuses as readonly string[]).includes(s);
}

/** The stock effect of from -> to, or undefined when the transition is illegal. */
export function transitionEffect(from: OrderStatus, to: OrderStatus): StockEffect | undefined {
  const allowed = table[from];
  return Object.hasOwn(allowed, to) ? (allowed[to] ?? null) : undefined;
}

export function allowedTransitions(from: OrderStatus): OrderStatus[] {
  return Object.keys(table[from]).filter(isOrderStatus);
}
