import type { OrderService } from '../orders/orders.service.ts';
import type { OrderRecord, PaymentRecord } from '../orders/orders.types.ts';
import { formatMoney } from '../shared/money.ts';
import type { Logger } from '../shared/logger.ts';
import type { PaymentLedger } from './payments.ports.ts';

/**
 * Brings the order's status in line with what has been refunded on its
 * payment: everything → refunded, part → partially_refunded. Where the
 * transition table has no such move (already there, or a cancelled order
 * refunded after the fact) the order keeps its status and the refund is
 * recorded as an order event without a status change.
 */
export async function syncOrderToRefunds(
  deps: { orders: OrderService; ledger: PaymentLedger; log: Logger },
  order: OrderRecord,
  payment: PaymentRecord,
  actor: string,
): Promise<void> {
  if (payment.refunded <= 0) return;
  const target = payment.refunded >= payment.amount ? 'refunded' : 'partially_refunded';
  const note = `refunded ${formatMoney({ amount: payment.refunded, currency: payment.currency })} of ${formatMoney({ amount: payment.amount, currency: payment.currency })}`;
  const moved = await deps.orders.transition(order.storeId, order.id, target, actor, { note });
  if (moved.ok) return;
  const current = (await deps.ledger.findOrder(order.id)) ?? order;
  await deps.ledger.flag(order.id, current.status, actor, note);
  deps.log.info({ order: order.number, status: current.status, target }, 'refund recorded; order status kept');
}
