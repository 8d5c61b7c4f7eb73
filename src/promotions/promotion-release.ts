import type { OrderNotifier } from '../orders/orders.ports.ts';
import type { OrderStatus } from '../orders/order-state.ts';
import type { OrderRecord } from '../orders/orders.types.ts';

/** Orders that no longer hold their promo code use: cancelled, or refunded in full. */
const RELEASING: ReadonlySet<OrderStatus> = new Set(['cancelled', 'refunded']);

/**
 * Gives a promo code's use back when its order is cancelled or fully refunded,
 * so an unpaid, lapsed order does not use up a limited code. Runs with the
 * order notifications; releasing twice changes nothing.
 */
export class PromotionRelease implements OrderNotifier {
  constructor(private readonly redemptions: { releasePromotion(orderId: string): Promise<boolean> }) {}

  async orderChanged(order: OrderRecord, change: { to: OrderStatus }): Promise<void> {
    if (RELEASING.has(change.to)) await this.redemptions.releasePromotion(order.id);
  }
}
