import { Composer, InlineKeyboard } from 'grammy';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { allowedTransitions, type OrderStatus } from '../../src/orders/order-state.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { AppError } from '../../src/shared/errors.ts';
import { escapeHtml } from './html.ts';
import { parseCommand } from './input.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';

/** Staff-facing texts are English for now; shoppers get their own language. */
const t = translator('en');
const STAFF_ONLY = new Set(['order', 'stock', 'stats']);
const MARKS: Record<string, OrderStatus> = { f: 'fulfilled', s: 'shipped', d: 'delivered' };
const LABELS: Record<string, string> = { f: 'Mark fulfilled', s: 'Mark shipped', d: 'Mark delivered' };

function orderHtml(o: OrderRecord): string {
  const money = (amount: number) => t.money({ amount, currency: o.currency });
  const lines = o.items.map((i) => `${i.quantity} × ${escapeHtml(i.variantTitle ? `${i.title} (${i.variantTitle})` : i.title)} — ${escapeHtml(money(i.lineTotal))}`);
  return [`<b>Order #${o.number}</b> — ${escapeHtml(t.m.status({ status: o.status }))}`, ...lines, `Total: ${escapeHtml(money(o.total))} · ${escapeHtml(o.channel)} · ${escapeHtml(t.date(o.createdAt))}`].join('\n');
}

function orderKeyboard(o: OrderRecord): InlineKeyboard | undefined {
  const next = allowedTransitions(o.status);
  const kb = new InlineKeyboard();
  for (const [code, status] of Object.entries(MARKS)) if (next.includes(status)) kb.text(LABELS[code] ?? status, `S1:${o.number}:${code}`);
  return kb.inline_keyboard.some((r) => r.length) ? kb : undefined;
}

/**
 * Seller commands for the staff identities of SELLER_IDS: /orders, /order <n>
 * with buttons to move the order on, /stock <sku> <qty>, /stats. Anyone else
 * is refused and the attempt logged; a non-staff /orders is the shopper's own.
 */
export function sellerComposer(deps: TelegramDeps, shop: ShopRef, staff: ReadonlySet<string>): Composer<ShopContext> {
  const c = new Composer<ShopContext>();
  const isStaff = (ctx: ShopContext) => ctx.from !== undefined && staff.has(String(ctx.from.id));
  const refuse = async (ctx: ShopContext, what: string) => {
    deps.log.warn({ telegramUser: ctx.from?.id, attempted: what }, 'seller command refused: not staff');
    ctx.turn.committed = true;
    await ctx.reply('Sorry, that command is for the shop staff only.');
  };

  c.command(['orders', 'order', 'stock', 'stats'], async (ctx, next) => {
    const cmd = parseCommand(ctx.msg.text);
    if (!cmd) return;
    if (!isStaff(ctx)) return STAFF_ONLY.has(cmd.name) ? refuse(ctx, `/${cmd.name}`) : next();
    if (ctx.chat.type !== 'private') return void (await ctx.reply('Seller commands work in a private chat with the bot.'));
    const store = await shop.get();
    ctx.turn.committed = true;
    switch (cmd.name) {
      case 'orders': {
        const page = await deps.orders.list(store.id, { limit: 10 });
        const lines = page.items.map((o) => `#${o.number} · ${escapeHtml(t.m.status({ status: o.status }))} · ${escapeHtml(t.money({ amount: o.total, currency: o.currency }))} · ${escapeHtml(t.date(o.createdAt))}`);
        await ctx.reply(lines.length ? ['<b>Latest orders</b>', ...lines, '', 'Open one with /order <number>.'].join('\n').replace('<number>', '&lt;number&gt;') : 'No orders yet.', { parse_mode: 'HTML' });
        return;
      }
      case 'order': {
        if (!/^\d{1,9}$/.test(cmd.args)) return void (await ctx.reply('Usage: /order <number>, e.g. /order 12'));
        const order = await findOrder(deps, store.id, cmd.args);
        if (!order) return void (await ctx.reply(`There is no order #${cmd.args}.`));
        await ctx.reply(orderHtml(order), { parse_mode: 'HTML', reply_markup: orderKeyboard(order) });
        return;
      }
      case 'stock': {
        const m = /^(\S{1,64})\s+(\d{1,7})$/.exec(cmd.args);
        if (!m?.[1] || !m[2]) return void (await ctx.reply('Usage: /stock <sku> <quantity>, e.g. /stock MUG-CLASSIC 25'));
        const r = await deps.catalog.setStock(store.id, m[1], Number(m[2]));
        deps.log.info({ staff: `telegram:${ctx.from?.id}`, sku: m[1], onHand: Number(m[2]), ok: r.ok }, 'stock set from telegram');
        await ctx.reply(r.ok ? `${m[1]}: ${Number(m[2])} on hand.` : `Not changed: ${r.message}`);
        return;
      }
      default:
        await ctx.reply('Sales figures arrive with the marketing and analytics features; /orders lists the latest orders meanwhile.');
    }
  });

  c.callbackQuery(/^S1:(\d{1,9}):([fsd])$/, async (ctx) => {
    let toast = '';
    try {
      if (!isStaff(ctx)) {
        await refuse(ctx, `button ${ctx.callbackQuery.data}`);
        toast = 'Staff only.';
        return;
      }
      const [, number, code] = ctx.match;
      const to = code ? MARKS[code] : undefined;
      const store = await shop.get();
      if (!number || !to) return;
      const r = await deps.orders.transition(store.id, number, to, `staff:telegram:${ctx.from.id}`);
      if (!r.ok) {
        toast = r.message.slice(0, 190);
        return;
      }
      ctx.turn.committed = true;
      toast = `Order #${r.value.number}: ${t.m.status({ status: to })}`;
      await ctx.editMessageText(orderHtml(r.value), { parse_mode: 'HTML', reply_markup: orderKeyboard(r.value) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      toast = err.message;
    } finally {
      await ctx.answerCallbackQuery(toast ? { text: toast } : undefined).catch((err: unknown) => deps.log.warn({ err }, 'answerCallbackQuery failed'));
    }
  });

  return c;
}

async function findOrder(deps: TelegramDeps, storeId: string, number: string): Promise<OrderRecord | null> {
  try {
    return await deps.orders.get(storeId, number);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}
