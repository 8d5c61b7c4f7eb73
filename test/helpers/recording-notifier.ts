import type { DeliveryNotice, OrderChange, OrderNotifier } from '../../src/orders/orders.ports.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';

/** Records what the channels would have been told (order changes and digital deliveries). */
export class RecordingNotifier implements OrderNotifier {
  readonly changes: { order: OrderRecord; change: OrderChange }[] = [];
  readonly deliveries: { order: OrderRecord; notice: DeliveryNotice }[] = [];
  orderChanged(order: OrderRecord, change: OrderChange) {
    this.changes.push({ order, change });
    return Promise.resolve();
  }
  goodsDelivered(order: OrderRecord, notice: DeliveryNotice) {
    this.deliveries.push({ order, notice });
    return Promise.resolve();
  }
  deliveriesOf(orderId: string) {
    return this.deliveries.filter((d) => d.order.id === orderId);
  }
  changesOf(orderId: string) {
    return this.changes.filter((c) => c.order.id === orderId).map((c) => c.change);
  }
}
