import type { Logger } from '../shared/logger.ts';
import type { OrderNotifier } from './orders.ports.ts';

/** Announces each change through every notifier; one failing does not stop the others. */
export class CompositeOrderNotifier implements OrderNotifier {
  constructor(
    private readonly notifiers: readonly OrderNotifier[],
    private readonly log: Logger,
  ) {}

  async orderChanged(...args: Parameters<OrderNotifier['orderChanged']>): Promise<void> {
    const results = await Promise.allSettled(this.notifiers.map((n) => n.orderChanged(...args)));
    for (const r of results) if (r.status === 'rejected') this.log.error({ err: r.reason, order: args[0].number }, 'order notifier failed');
  }

  async goodsDelivered(...args: Parameters<NonNullable<OrderNotifier['goodsDelivered']>>): Promise<void> {
    const results = await Promise.allSettled(this.notifiers.map((n) => (n.goodsDelivered ? n.goodsDelivered(...args) : Promise.resolve())));
    for (const r of results) if (r.status === 'rejected') this.log.error({ err: r.reason, order: args[0].number }, 'delivery notifier failed');
  }
}
