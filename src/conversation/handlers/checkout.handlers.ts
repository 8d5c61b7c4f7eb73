import { encodeAction } from '../actions.ts';
import type { Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import type { CodeRefusal } from '../../cart/cart.ports.ts';
import { refusalReason } from './promo.handlers.ts';

/**
 * Places the order for the shopper's open cart and answers with the payment
 * step. A double tap on "Checkout" reaches a closed cart and is told so.
 */
export async function checkout(deps: EngineDeps, ctx: TurnContext): Promise<Reply[]> {
  const { t } = ctx;
  const cart = await deps.carts.open(ctx.store, { customerId: ctx.customerId, channel: ctx.channel });
  if (cart.lines.length === 0) return [{ type: 'text', text: t.m.cartEmpty() }];
  deps.events.record({ storeId: ctx.store.id, type: 'checkout_started', customerId: ctx.customerId, sessionKey: ctx.sessionKey, channel: ctx.channel });
  const r = await deps.checkout.checkout(ctx.store, cart.id, { idempotencyKey: `chat:${cart.id}`, channel: ctx.channel });
  if (!r.ok) {
    if (r.code === 'INSUFFICIENT_STOCK') {
      const line = cart.lines.find((l) => typeof r.details === 'object' && r.details !== null && 'sku' in r.details && r.details.sku === l.sku);
      return [{ type: 'text', text: t.m.notEnoughStock({ title: line?.productTitle ?? '', available: 0 }), buttons: [{ label: t.m.viewCart(), action: encodeAction({ op: 'cart' }) }] }];
    }
    if (r.code === 'CART_CLOSED') return [{ type: 'text', text: t.m.checkoutClosed() }];
    if (r.code === 'PROMOTION_REFUSED') {
      // The code stopped applying (used up by someone else meanwhile): the shopper decides, nothing is charged in full silently.
      const details = r.details as { code?: string; refusal?: CodeRefusal } | undefined;
      const reason = details?.refusal ? refusalReason(ctx, details.refusal) : r.message;
      return [
        {
          type: 'text',
          text: t.m.codeRefused({ code: details?.code ?? cart.promotionCode ?? '', reason }),
          buttons: [{ label: t.m.removeCode(), action: encodeAction({ op: 'removeCode' }) }, { label: t.m.viewCart(), action: encodeAction({ op: 'cart' }) }],
        },
      ];
    }
    return [{ type: 'text', text: t.m.productGone(), buttons: [{ label: t.m.viewCart(), action: encodeAction({ op: 'cart' }) }] }];
  }
  const { order, payment } = r.value;
  const total = { amount: order.total, currency: order.currency };
  const minutes = Math.round(ctx.store.reservationTtlSeconds / 60);
  const text = payment ? t.m.checkoutReady({ number: order.number, total: t.money(total), minutes }) : t.m.paymentUnavailable();
  return [
    {
      type: 'checkout',
      text,
      orderNumber: order.number,
      total,
      totalText: t.money(total),
      provider: payment?.provider ?? null,
      url: payment?.url ?? null,
      expiresAt: order.reservedUntil?.toISOString() ?? null,
      buttons: payment?.url ? [{ label: t.m.pay(), url: payment.url }] : [],
    },
  ];
}

export async function myOrders(deps: EngineDeps, ctx: TurnContext): Promise<Reply[]> {
  const { t } = ctx;
  const orders = await deps.orders.recentFor(ctx.store.id, ctx.customerId, 5);
  if (orders.length === 0) return [{ type: 'text', text: t.m.noOrders() }];
  const items = orders.map((o) => {
    const statusText = t.m.status({ status: o.status });
    const totalText = t.money({ amount: o.total, currency: o.currency });
    return { number: o.number, status: o.status, statusText, totalText, date: t.date(o.createdAt) };
  });
  // One button per order opens it (tracking, digital goods, returns).
  const buttons = orders.slice(0, ctx.caps.maxButtons).map((o) => ({ label: t.m.orderView({ number: o.number }), action: encodeAction({ op: 'order', id: o.id }) }));
  return [{ type: 'orders', text: [t.m.ordersTitle(), ...items.map((i) => t.m.orderLine({ number: i.number, status: i.statusText, total: i.totalText }))].join('\n'), items, buttons }];
}
