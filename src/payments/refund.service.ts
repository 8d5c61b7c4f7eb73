import type { OrderService } from '../orders/orders.service.ts';
import type { OrderRecord } from '../orders/orders.types.ts';
import { fail, ok, type Result } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { formatMoney } from '../shared/money.ts';
import { syncOrderToRefunds } from './refund-state.ts';
import type { PaymentLedger, RefundGateway } from './payments.ports.ts';

export interface RefundResult {
  order: OrderRecord;
  refund: { amount: number; currency: string; providerRef: string };
}

/**
 * Seller refunds, full or partial, never above what was paid minus what was
 * already refunded. The amount is reserved on the payment with one
 * conditional update before the provider is asked, so two refunds racing
 * cannot both pass the check; a provider failure gives the reservation back.
 */
export class RefundService {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly orders: OrderService,
    private readonly gateways: ReadonlyMap<string, RefundGateway>,
    private readonly log: Logger,
  ) {}

  async refund(storeId: string, idOrNumber: string, requested: number | undefined, actor: string): Promise<Result<RefundResult>> {
    const order = await this.orders.get(storeId, idOrNumber);
    const payment = order.payments.find((p) => p.status === 'succeeded' || p.status === 'partially_refunded' || p.status === 'refunded');
    if (!payment) return fail('CONFLICT', `Order #${order.number} has no completed payment to refund (it is ${order.status})`);
    const refundable = payment.amount - payment.refunded;
    const fmt = (amount: number) => formatMoney({ amount, currency: payment.currency });
    if (refundable <= 0) return fail('CONFLICT', `Order #${order.number} has already been refunded in full`);
    const amount = requested ?? refundable;
    if (amount > refundable) {
      return fail('CONFLICT', `At most ${fmt(refundable)} can be refunded on order #${order.number} (paid ${fmt(payment.amount)}, refunded ${fmt(payment.refunded)})`, {
        refundable: { amount: refundable, currency: payment.currency },
      });
    }
    const gateway = this.gateways.get(payment.provider);
    if (!gateway) return fail('SERVICE_UNAVAILABLE', `Payments made with ${payment.provider} cannot be refunded from here; refund them with the provider`);
    if (!(await this.ledger.reserveRefund(payment.id, payment.refunded, amount))) {
      return fail('CONFLICT', `Another refund of order #${order.number} ran at the same time; reload the order and try again`);
    }
    // One key per (payment, amount refunded before, amount): a retried request never refunds twice.
    const key = `chatshop-refund-${payment.id}-${payment.refunded}-${amount}`;
    let made: Awaited<ReturnType<RefundGateway['refund']>>;
    try {
      made = await gateway.refund(order, payment, amount, key);
    } catch (err) {
      await this.ledger.undoRefund(payment.id, amount);
      throw err;
    }
    if (!made.ok) {
      await this.ledger.undoRefund(payment.id, amount);
      this.log.warn({ order: order.number, provider: payment.provider, amount }, 'refund failed at the provider');
      return fail('SERVICE_UNAVAILABLE', `The refund could not be made right now (${made.message}); nothing was refunded, try again`);
    }
    const updated = await this.ledger.raiseRefunded(payment.id, payment.refunded + amount);
    await syncOrderToRefunds({ orders: this.orders, ledger: this.ledger, log: this.log }, order, updated, actor);
    this.log.info({ order: order.number, amount, refunded: updated.refunded, actor }, 'refund made');
    return ok({ order: await this.orders.get(storeId, order.id), refund: { amount, currency: payment.currency, providerRef: made.value.providerRef } });
  }
}
