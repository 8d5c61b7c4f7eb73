import type { CancellationRefunds } from '../orders/orders.ports.ts';
import type { OrderService } from '../orders/orders.service.ts';
import type { OrderRecord, PaymentRecord } from '../orders/orders.types.ts';
import { fail, ok, type Result } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { formatMoney } from '../shared/money.ts';
import { syncOrderToRefunds } from './refund-state.ts';
import type { PaymentLedger, RefundGateway } from './payments.ports.ts';

export interface RefundResult {
  order: OrderRecord;
  refund: { amount: number; currency: string; providerRef: string };
}

const refundableStatuses = new Set(['succeeded', 'partially_refunded', 'refunded']);

/**
 * Seller refunds, full or partial, never above what was paid minus what was
 * already refunded. The amount is reserved on the payment with one
 * conditional update before the provider is asked, so two refunds racing
 * cannot both pass the check; a provider failure gives the reservation back.
 * Also refunds a paid order in full when it is cancelled (CancellationRefunds).
 */
export class RefundService implements CancellationRefunds {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly orders: OrderService,
    private readonly gateways: ReadonlyMap<string, RefundGateway>,
    private readonly log: Logger,
  ) {}

  async refund(storeId: string, idOrNumber: string, requested: number | undefined, actor: string): Promise<Result<RefundResult>> {
    const order = await this.orders.get(storeId, idOrNumber);
    const payment = order.payments.find((p) => refundableStatuses.has(p.status));
    if (!payment) return fail('CONFLICT', `Order #${order.number} has no completed payment to refund (it is ${order.status})`);
    const made = await this.take(order, payment, requested);
    if (!made.ok) return made;
    await syncOrderToRefunds({ orders: this.orders, ledger: this.ledger, log: this.log }, order, made.value.payment, actor);
    this.log.info({ order: order.number, amount: made.value.amount, refunded: made.value.payment.refunded, actor }, 'refund made');
    return ok({ order: await this.orders.get(storeId, order.id), refund: { amount: made.value.amount, currency: payment.currency, providerRef: made.value.providerRef } });
  }

  /** Everything still refundable on the order's payment, before the order is cancelled. */
  async refundForCancel(order: OrderRecord, actor: string): Promise<Result<{ amount: number; currency: string } | null>> {
    const payment = order.payments.find((p) => refundableStatuses.has(p.status));
    if (!payment || payment.amount - payment.refunded <= 0) return ok(null);
    const made = await this.take(order, payment, undefined);
    if (!made.ok) {
      return fail(made.code, `Order #${order.number} was not cancelled: its payment must be refunded first, and ${made.message.charAt(0).toLowerCase()}${made.message.slice(1)}`, made.details);
    }
    this.log.info({ order: order.number, amount: made.value.amount, actor }, 'paid order refunded for cancellation');
    return ok({ amount: made.value.amount, currency: payment.currency });
  }

  async recordRefundWithoutCancel(order: OrderRecord, actor: string): Promise<void> {
    const current = (await this.ledger.findOrder(order.id)) ?? order;
    const payment = current.payments.find((p) => refundableStatuses.has(p.status));
    if (payment) await syncOrderToRefunds({ orders: this.orders, ledger: this.ledger, log: this.log }, current, payment, actor);
    this.log.error({ order: order.number, status: current.status }, 'payment refunded but the order changed before it could be cancelled');
  }

  /** Reserves, asks the provider, and records one refund of `requested` (default: all that is left). */
  private async take(order: OrderRecord, payment: PaymentRecord, requested: number | undefined): Promise<Result<{ amount: number; providerRef: string; payment: PaymentRecord }>> {
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
    return ok({ amount, providerRef: made.value.providerRef, payment: updated });
  }
}
