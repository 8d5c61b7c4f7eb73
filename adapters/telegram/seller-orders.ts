import { type Composer, InlineKeyboard } from 'grammy';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { allowedTransitions, type OrderStatus } from '../../src/orders/order-state.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { AppError } from '../../src/shared/errors.ts';
import { escapeHtml } from './html.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';
import { ShopComposer } from './shop-composer.ts';

/** Staff-facing texts are English for now; shoppers get their own language. */
export const staffT = translator('en');
const t = staffT;
const MARKS: Record<string, OrderStatus> = { f: 'fulfilled', s: 'shipped', d: 'delivered' };
const LABELS: Record<string, string> = { f: 'Mark fulfilled', s: 'Mark shipped', d: 'Mark delivered' };

/** What can still be refunded on the order's completed payment (minor units), 0 when nothing. */
export function refundable(o: OrderRecord): number {
  const p = o.payments.find((x) => x.status === 'succeeded' || x.status === 'partially_refunded');
  return p ? Math.max(0, p.amount - p.refunded) : 0;
}

export function orderHtml(o: OrderRecord): string {
  const money = (amount: number) => t.money({ amount, currency: o.currency });
  const lines = o.items.map((i) => `${i.quantity} × ${escapeHtml(i.variantTitle ? `${i.title} (${i.variantTitle})` : i.title)} — ${escapeHtml(money(i.lineTotal))}`);
  const tracking = [o.trackingNumber && `tracking ${escapeHtml(o.trackingNumber)}`, o.carrierUrl && escapeHtml(o.carrierUrl)].filter(Boolean).join(' · ');
  return [
    `<b>Order #${o.number}</b> — ${escapeHtml(t.m.status({ status: o.status }))}`,
    ...lines,
    `Total: ${escapeHtml(money(o.total))} · ${escapeHtml(o.channel)} · ${escapeHtml(t.date(o.createdAt))}`,
    ...(tracking ? [`Shipped: ${tracking}`] : []),
  ].join('\n');
}

/** Buttons under /order <n>: the next statuses, then Refund and Cancel (each asks first). */
export function orderKeyboard(o: OrderRecord): InlineKeyboard | undefined {
  const next = allowedTransitions(o.status);
  const button = (text: string, code: string) => InlineKeyboard.text(text, `S1:${o.number}:${code}`);
  const marks = Object.entries(MARKS).flatMap(([code, status]) => (next.includes(status) ? [button(LABELS[code] ?? status, code)] : []));
  const undo = [...(refundable(o) > 0 ? [button('Refund', 'r')] : []), ...(next.includes('cancelled') ? [button('Cancel', 'c')] : [])];
  const rows = [marks, undo].filter((r) => r.length);
  return rows.length ? InlineKeyboard.from(rows) : undefined;
}

function confirmation(o: OrderRecord, what: 'refund' | 'cancel'): { text: string; kb: InlineKeyboard } {
  const amount = t.money({ amount: refundable(o), currency: o.currency });
  const question =
    what === 'refund'
      ? `Refund ${escapeHtml(amount)} on order #${o.number}? The buyer is told.`
      : `Cancel order #${o.number}?${refundable(o) > 0 ? ` The ${escapeHtml(amount)} paid is refunded and` : ''} The buyer is told.`;
  const kb = new InlineKeyboard().text(what === 'refund' ? `Yes, refund ${amount}` : 'Yes, cancel the order', `S1:${o.number}:${what === 'refund' ? 'R' : 'C'}`).text('Back', `S1:${o.number}:o`);
  return { text: `${orderHtml(o)}\n\n<b>${question}</b>`, kb };
}

type Outcome = { order: OrderRecord; toast: string } | { toast: string };

/**
 * Staff buttons under an order: mark fulfilled/shipped/delivered, refund in
 * full and cancel (both confirmed first). Every change goes through the order
 * service (recorded, buyer notified); non-staff taps are refused and logged.
 */
export function sellerOrderButtons(deps: TelegramDeps, shop: ShopRef, isStaff: (ctx: ShopContext) => boolean, refuse: (ctx: ShopContext, what: string) => Promise<void>): Composer<ShopContext> {
  const c = new ShopComposer();
  c.callbackQuery(/^S1:(\d{1,9}):([fsdrRcCo])$/, async (ctx) => {
    let toast = '';
    try {
      if (!isStaff(ctx)) {
        await refuse(ctx, `button ${ctx.callbackQuery.data}`);
        toast = 'Staff only.';
        return;
      }
      const [, number, code] = ctx.match;
      if (!number || !code) return;
      const store = await shop.get();
      const actor = `staff:telegram:${ctx.from.id}`;
      const order = await deps.orders.get(store.id, number);
      if (code === 'r' || code === 'c') {
        const ask = confirmation(order, code === 'r' ? 'refund' : 'cancel');
        ctx.turn.committed = true;
        await ctx.editMessageText(ask.text, { parse_mode: 'HTML', reply_markup: ask.kb });
        return;
      }
      const out = await act(deps, store.id, order, code, actor);
      toast = out.toast;
      const shown = 'order' in out ? out.order : await deps.orders.get(store.id, number);
      ctx.turn.committed = true;
      await ctx.editMessageText(orderHtml(shown), { parse_mode: 'HTML', reply_markup: orderKeyboard(shown) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      toast = err.message;
    } finally {
      await ctx.answerCallbackQuery(toast ? { text: toast.slice(0, 190) } : undefined).catch((err: unknown) => deps.log.warn({ err }, 'answerCallbackQuery failed'));
    }
  });
  return c;
}

async function act(deps: TelegramDeps, storeId: string, order: OrderRecord, code: string, actor: string): Promise<Outcome> {
  if (code === 'o') return { order, toast: '' };
  if (code === 'R') {
    const r = await deps.refunds.refund(storeId, String(order.number), undefined, actor);
    deps.log.info({ staff: actor, order: order.number, ok: r.ok }, 'refund from telegram');
    if (!r.ok) return { toast: r.message };
    return { order: r.value.order, toast: `Refunded ${t.money({ amount: r.value.refund.amount, currency: r.value.refund.currency })} on order #${order.number}.` };
  }
  const to = code === 'C' ? 'cancelled' : MARKS[code];
  if (!to) return { toast: '' };
  const r = await deps.orders.transition(storeId, String(order.number), to, actor, code === 'C' ? { note: 'cancelled by the shop' } : {});
  deps.log.info({ staff: actor, order: order.number, to, ok: r.ok }, 'order changed from telegram');
  if (!r.ok) return { toast: r.message };
  return { order: r.value, toast: `Order #${r.value.number}: ${t.m.status({ status: to })}` };
}
