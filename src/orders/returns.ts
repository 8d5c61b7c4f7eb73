import { fail, type Result } from '../shared/errors.ts';
import type { OrderStatus } from './order-state.ts';
import type { OrderService } from './orders.service.ts';
import type { OrderRecord } from './orders.types.ts';

/** Orders a shopper may ask to send back. */
export const returnableStatuses: readonly OrderStatus[] = ['shipped', 'delivered'];

export const canRequestReturn = (o: Pick<OrderRecord, 'status'>) => returnableStatuses.includes(o.status);

const MAX_REASON = 500;

/**
 * A shopper's return request: shipped or delivered → return_requested, with
 * their reason as the event note; the staff and the buyer hear of it through
 * the order notifiers. `customerId` (from a chat) must own the order.
 */
export async function requestReturn(
  orders: OrderService,
  storeId: string,
  idOrNumber: string,
  by: { actor: string; customerId?: string | undefined },
  reason?: string,
): Promise<Result<OrderRecord>> {
  const order = await orders.get(storeId, idOrNumber);
  if (by.customerId !== undefined && order.customerId !== by.customerId) return fail('NOT_FOUND', 'Order not found');
  if (!canRequestReturn(order)) {
    return fail('ILLEGAL_TRANSITION', `Order #${order.number} cannot be returned while it is ${order.status}; only shipped or delivered orders can`, { status: order.status });
  }
  const note = reason?.trim().slice(0, MAX_REASON) || undefined;
  return orders.transition(storeId, order.id, 'return_requested', by.actor, { note });
}

/** The seller accepts the return: the order is returned and its stock goes back on sale. */
export async function approveReturn(orders: OrderService, storeId: string, idOrNumber: string, actor: string, note?: string): Promise<Result<OrderRecord>> {
  const order = await orders.get(storeId, idOrNumber);
  if (order.status !== 'return_requested') return fail('CONFLICT', `Order #${order.number} has no open return request (it is ${order.status})`);
  return orders.transition(storeId, order.id, 'returned', actor, { note: note?.trim() || 'return approved' });
}

/** The seller declines the return: the order goes back to the status it had before the request. */
export async function rejectReturn(orders: OrderService, storeId: string, idOrNumber: string, actor: string, reason?: string): Promise<Result<OrderRecord>> {
  const order = await orders.get(storeId, idOrNumber);
  if (order.status !== 'return_requested') return fail('CONFLICT', `Order #${order.number} has no open return request (it is ${order.status})`);
  const asked = order.events.filter((e) => e.toStatus === 'return_requested').at(-1);
  const back: OrderStatus = asked?.fromStatus === 'shipped' ? 'shipped' : 'delivered';
  const why = reason?.trim().slice(0, MAX_REASON);
  return orders.transition(storeId, order.id, back, actor, { note: why ? `return declined: ${why}` : 'return declined' });
}
