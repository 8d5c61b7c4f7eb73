import { formatAddress } from '../../cart/shipping-address.ts';
import type { OrderRecord } from '../../orders/orders.types.ts';
import { canRequestReturn, requestReturn } from '../../orders/returns.ts';
import { AppError } from '../../shared/errors.ts';
import { encodeAction } from '../actions.ts';
import type { Button, Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';

/** One of the shopper's own orders; anyone else's (or a forged id) is "not found". */
async function ownOrder(deps: EngineDeps, ctx: TurnContext, id: string): Promise<OrderRecord | null> {
  try {
    const order = await deps.orders.get(ctx.store.id, id);
    return order.customerId === ctx.customerId ? order : null;
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

const notFound = (ctx: TurnContext): Reply[] => [{ type: 'text', text: ctx.t.m.orderNotFound(), buttons: [{ label: ctx.t.m.menuOrders(), action: encodeAction({ op: 'orders' }) }] }];

/**
 * The shopper's view of one order: items, total, where it ships, tracking
 * (with a carrier link button), the digital goods handed over (again), and a
 * "Request a return" button once it has shipped.
 */
export async function showOrder(deps: EngineDeps, ctx: TurnContext, id: string): Promise<Reply[]> {
  const { t } = ctx;
  const order = await ownOrder(deps, ctx, id);
  if (!order) return notFound(ctx);
  const money = (amount: number) => t.money({ amount, currency: order.currency });
  const lines = [
    t.m.orderHeader({ number: order.number, status: t.m.status({ status: order.status }), date: t.date(order.createdAt) }),
    ...order.items.map((i) => `${i.quantity} × ${i.title}${i.variantTitle ? ` (${i.variantTitle})` : ''} — ${money(i.lineTotal)}`),
    t.m.orderTotal({ total: money(order.total) }),
  ];
  if (order.shippingAddress) lines.push(t.m.orderShipTo({ address: formatAddress(order.shippingAddress).replace(/\n/g, ', ') }));
  if (order.trackingNumber) lines.push(t.m.trackingNumber({ number: order.trackingNumber }));
  const delivered = order.deliveries.filter((d) => d.content !== null);
  const pending = order.deliveries.length - delivered.length;
  if (order.deliveries.length) {
    lines.push('', t.m.digitalTitle({ number: order.number }), ...delivered.map((d) => `• ${d.productTitle}${d.label ? ` — ${d.label}` : ''}: ${d.content ?? ''}`));
    if (pending) lines.push(t.m.digitalPending({ count: pending }));
  }
  const buttons: Button[] = [];
  if (order.carrierUrl) buttons.push({ label: t.m.trackParcel(), url: order.carrierUrl });
  if (canRequestReturn(order)) buttons.push({ label: t.m.requestReturn(), action: encodeAction({ op: 'returnAsk', orderId: order.id }) });
  buttons.push({ label: t.m.menuOrders(), action: encodeAction({ op: 'orders' }) });
  return [{ type: 'text', text: lines.join('\n'), buttons }];
}

/** "Request a return of order #N?" with a confirming button, so a stray tap changes nothing. */
export async function askReturn(deps: EngineDeps, ctx: TurnContext, id: string): Promise<Reply[]> {
  const { t } = ctx;
  const order = await ownOrder(deps, ctx, id);
  if (!order) return notFound(ctx);
  if (!canRequestReturn(order)) return [notPossible(ctx, order)];
  return [
    {
      type: 'text',
      text: t.m.confirmReturn({ number: order.number }),
      buttons: [
        { label: t.m.confirmReturnYes(), action: encodeAction({ op: 'returnConfirm', orderId: order.id }) },
        { label: t.m.no(), action: encodeAction({ op: 'order', id: order.id }) },
      ],
    },
  ];
}

/** Files the return request; the staff are told, and the shopper sees it at once. */
export async function confirmReturn(deps: EngineDeps, ctx: TurnContext, id: string): Promise<Reply[]> {
  const { t } = ctx;
  const order = await ownOrder(deps, ctx, id);
  if (!order) return notFound(ctx);
  if (order.status === 'return_requested') return [{ type: 'text', text: t.m.returnRequested({ number: order.number }) }];
  const r = await requestReturn(deps.orders, ctx.store.id, order.id, { actor: `customer:${ctx.customerId}`, customerId: ctx.customerId });
  if (!r.ok) return [notPossible(ctx, (await ownOrder(deps, ctx, id)) ?? order)];
  return [{ type: 'text', text: t.m.returnRequested({ number: order.number }), buttons: [{ label: t.m.orderView({ number: order.number }), action: encodeAction({ op: 'order', id: order.id }) }] }];
}

function notPossible(ctx: TurnContext, order: OrderRecord): Reply {
  return { type: 'text', text: ctx.t.m.returnNotPossible({ number: order.number, status: ctx.t.m.status({ status: order.status }) }), buttons: [{ label: ctx.t.m.orderView({ number: order.number }), action: encodeAction({ op: 'order', id: order.id }) }] };
}
