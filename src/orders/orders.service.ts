import type { Logger } from '../shared/logger.ts';
import { fail, notFound, ok, type Result } from '../shared/errors.ts';
import type { Clock } from '../shared/time.ts';
import { allowedTransitions, transitionEffect, type OrderStatus } from './order-state.ts';
import type { OrderNotifier, OrderRepository } from './orders.ports.ts';
import type { OrderListQuery, OrderRecord } from './orders.types.ts';

export class OrderService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly notifier: OrderNotifier,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async get(storeId: string, idOrNumber: string): Promise<OrderRecord> {
    const o = await this.orders.findById(storeId, idOrNumber);
    if (!o) throw notFound('Order');
    return o;
  }

  list(storeId: string, q: OrderListQuery) {
    return this.orders.list(storeId, q);
  }

  /** Applies one transition of the table in order-state.ts, recorded and announced. */
  async transition(storeId: string, idOrNumber: string, to: OrderStatus, actor: string, note?: string): Promise<Result<OrderRecord>> {
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
    const moved = await this.orders.transition({ orderId: order.id, from: order.status, to, effect, actor, note });
    if (!moved.ok) {
      return fail('ILLEGAL_TRANSITION', `Order #${order.number} changed while this request ran; reload it and try again`, {
        from: order.status,
        to,
      });
    }
    this.log.info({ order: moved.value.number, storeId, from: order.status, to, actor }, 'order transition');
    await this.announce(moved.value, order.status, to, note);
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

  private async announce(order: OrderRecord, from: OrderStatus | null, to: OrderStatus, note?: string) {
    try {
      await this.notifier.orderChanged(order, { from, to, note });
    } catch (err) {
      // The transition is committed; a failed notification must not undo it.
      this.log.error({ err, order: order.number }, 'order notification failed');
    }
  }
}
