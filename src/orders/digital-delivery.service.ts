import type { Logger } from '../shared/logger.ts';
import type { Clock } from '../shared/time.ts';
import type { DeliverySlot, DigitalDeliveryRepository } from './digital-delivery.ports.ts';
import type { OrderNotifier, OrderRepository, PaidOrderFulfilment } from './orders.ports.ts';
import type { OrderRecord } from './orders.types.ts';

/**
 * Digital goods: when an order is paid, every item's deliverables (file
 * links, texts, license keys from the product's pool) are written as
 * delivery rows once, keys drawn so that no key is ever handed out twice,
 * and the buyer is sent each filled delivery once (sentAt is claimed before
 * sending). An empty pool leaves the order paid: the buyer is told the key
 * follows, the staff are told to add keys, and adding keys fills the waiting
 * orders oldest first.
 */
export class DigitalDeliveryService implements PaidOrderFulfilment {
  constructor(
    private readonly repo: DigitalDeliveryRepository,
    private readonly orders: OrderRepository,
    private readonly notifier: OrderNotifier,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async fulfil(order: OrderRecord): Promise<void> {
    const plan = await this.repo.plan(order.id);
    const slots: DeliverySlot[] = [];
    for (const line of plan) {
      for (const d of line.deliverables) {
        const units = d.kind === 'license_key' ? line.quantity : 1;
        for (let u = 0; u < units; u++) {
          slots.push({ slot: `${line.itemId}:${d.id}:${u}`, deliverableId: d.id, productTitle: line.productTitle, kind: d.kind, label: d.label, content: d.content });
        }
      }
    }
    if (!slots.length) return;
    const now = this.clock.now();
    await this.repo.createSlots(order.id, slots, now);
    const waiting = await this.repo.assignKeys(order.id, now);
    if (waiting > 0) this.log.warn({ order: order.number, waiting }, 'license key pool empty: order paid, keys owed');
    await this.announce(order.storeId, order.id, true);
  }

  /** After keys were added to a pool: fills the orders waiting for them, oldest first. */
  async fulfilWaiting(deliverableId: string, limit = 500): Promise<number> {
    const waiting = await this.repo.ordersAwaiting(deliverableId, limit);
    let filled = 0;
    for (const o of waiting) {
      const left = await this.repo.assignKeys(o.id, this.clock.now());
      if (await this.announce(o.storeId, o.id, false)) filled++;
      if (left > 0) break;
    }
    return filled;
  }

  /** Sends what is filled and not yet sent; on payment, also what is still owed. True when something was sent. */
  private async announce(storeId: string, orderId: string, onPayment: boolean): Promise<boolean> {
    const delivered = await this.repo.claimUnsent(orderId, this.clock.now());
    const order = await this.orders.findById(storeId, orderId);
    if (!order) return false;
    const pending = order.deliveries.filter((d) => d.content === null);
    if (!delivered.length && !(onPayment && pending.length)) return false;
    try {
      await this.notifier.goodsDelivered?.(order, { delivered, pending: onPayment ? pending : [] });
    } catch (err) {
      // Claimed as sent: the goods stay visible in the shopper's order view.
      this.log.error({ err, order: order.number }, 'digital delivery notice failed');
    }
    return delivered.length > 0;
  }
}
