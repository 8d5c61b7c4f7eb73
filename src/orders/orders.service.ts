import type { Logger } from '../shared/logger.ts';
import { fail, notFound, ok, type Result } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import type { Clock } from '../shared/time.ts';
import { allowedTransitions, transitionEffect, type OrderStatus } from './order-state.ts';
import type { CancellationRefunds, OrderNotifier, OrderRepository, PaidOrderFulfilment, TransitionDetails, TransitionRequest } from './orders.ports.ts';
import type { OrderListQuery, OrderRecord } from './orders.types.ts';

/** Collaborators wired after construction order allows (the payments module is built from this service). */
export interface OrderServiceHooks {
  /** Refunds a paid order before it is cancelled; without it a cancel only restocks. */
  refunds?: CancellationRefunds | undefined;
  /** Hands over digital goods once an order is paid. */
  fulfilment?: PaidOrderFulfilment | undefined;
}

const MAX_TRACKING = 100;
const MAX_URL = 500;

/** Tracking details are for shipping only; the carrier link must be a web address. */
function trackingOf(to: OrderStatus, d: TransitionDetails): Result<TransitionRequest['tracking']> {
  const trackingNumber = d.trackingNumber?.trim() || null;
  const carrierUrl = d.carrierUrl?.trim() || null;
  if (!trackingNumber && !carrierUrl) return ok(undefined);
  if (to !== 'shipped') return fail('BAD_REQUEST', `A tracking number or carrier link can only be given when the order is shipped, not ${to}`);
  if (trackingNumber && trackingNumber.length > MAX_TRACKING) return fail('BAD_REQUEST', `The tracking number may be at most ${MAX_TRACKING} characters`);
  if (carrierUrl && (carrierUrl.length > MAX_URL || !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(carrierUrl))) {
    return fail('BAD_REQUEST', 'The carrier link must be an http(s) address such as https://carrier.example/track/123');
  }
  return ok({ trackingNumber, carrierUrl });
}

export class OrderService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly notifier: OrderNotifier,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly hooks: OrderServiceHooks = {},
  ) {}

  async get(storeId: string, idOrNumber: string): Promise<OrderRecord> {
    const o = await this.orders.findById(storeId, idOrNumber);
    if (!o) throw notFound('Order');
    return o;
  }

  list(storeId: string, q: OrderListQuery) {
    return this.orders.list(storeId, q);
  }

  /** A customer's latest orders, newest first, without their lines (a chat's order list). */
  recentFor(storeId: string, customerId: string, limit: number) {
    return this.orders.recentFor(storeId, customerId, limit);
  }

  /**
   * Applies one transition of the table in order-state.ts, recorded and
   * announced. Cancelling a paid order first refunds its payment in full
   * (nothing changes when the provider refuses); shipping may carry a
   * tracking number and carrier link, stored on the order.
   */
  async transition(storeId: string, idOrNumber: string, to: OrderStatus, actor: string, details: TransitionDetails = {}): Promise<Result<OrderRecord>> {
    const order = await this.get(storeId, idOrNumber);
    const effect = transitionEffect(order.status, to);
    if (effect === undefined) {
      const allowed = allowedTransitions(order.status);
      return fail(
        'ILLEGAL_TRANSITION',
        `Order #${order.number} is ${order.status}; it can go to ${allowed.length ? allowed.join(', ') : 'no other status'}, not ${to}`,
        { from: order.status, to, allowed },
      );
    }
    const tracking = trackingOf(to, details);
    if (!tracking.ok) return tracking;
    const refunds = order.status === 'paid' && to === 'cancelled' ? this.hooks.refunds : undefined;
    let refunded: { amount: number; currency: string } | null = null;
    if (refunds) {
      const r = await refunds.refundForCancel(order, actor);
      if (!r.ok) return r;
      refunded = r.value;
    }
    const note = [details.note?.trim(), refunded && `payment of ${formatMoney(refunded)} refunded in full`].filter(Boolean).join('; ') || undefined;
    const moved = await this.orders.transition({ orderId: order.id, from: order.status, to, effect, actor, note, tracking: tracking.value });
    if (!moved.ok) {
      if (refunds && refunded) await refunds.recordRefundWithoutCancel(order, actor);
      return fail('ILLEGAL_TRANSITION', `Order #${order.number} changed while this request ran; reload it and try again`, {
        from: order.status,
        to,
      });
    }
    this.log.info({ order: moved.value.number, storeId, from: order.status, to, actor }, 'order transition');
    await this.announce(moved.value, order.status, to, note, actor);
    if (to === 'paid') await this.fulfil(moved.value);
    return ok(moved.value);
  }

  /** Cancels unpaid orders whose reservation lapsed; their stock goes back on sale. */
  async releaseLapsed(limit = 100): Promise<number> {
    const lapsed = await this.orders.findLapsed(this.clock.now(), limit);
    let released = 0;
    for (const o of lapsed) {
      const r = await this.orders.transition({
        orderId: o.id,
        from: 'pending_payment',
        to: 'cancelled',
        effect: 'release',
        actor: 'system',
        note: 'payment window lapsed; reserved stock released',
      });
      if (r.ok) {
        released++;
        await this.announce(r.value, 'pending_payment', 'cancelled', 'payment window lapsed');
      }
    }
    if (released) this.log.info({ released }, 'lapsed reservations released');
    return released;
  }

  private async fulfil(order: OrderRecord) {
    if (!this.hooks.fulfilment) return;
    try {
      await this.hooks.fulfilment.fulfil(order);
    } catch (err) {
      // The order is paid; the goods are handed over again when the shopper opens the order or keys arrive.
      this.log.error({ err, order: order.number }, 'digital delivery failed');
    }
  }

  private async announce(order: OrderRecord, from: OrderStatus | null, to: OrderStatus, note?: string, actor = 'system') {
    try {
      await this.notifier.orderChanged(order, { from, to, note, actor });
    } catch (err) {
      // The transition is committed; a failed notification must not undo it.
      this.log.error({ err, order: order.number }, 'order notification failed');
    }
  }
}
