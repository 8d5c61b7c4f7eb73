import type { Logger } from '../shared/logger.ts';
import type { OrderNotifier } from './orders.ports.ts';

/** Until the channels announce order changes to buyers, they are logged. */
export class LogOrderNotifier implements OrderNotifier {
  constructor(private readonly log: Logger) {}

  orderChanged(order: { number: number; storeId: string; channel: string }, change: { from: string | null; to: string }) {
    this.log.info({ order: order.number, storeId: order.storeId, channel: order.channel, ...change }, 'order change to announce');
    return Promise.resolve();
  }
}
