import { type Composer, InputFile } from 'grammy';
import { salesChart } from '../../src/analytics/sales-chart.ts';
import { formatSalesReport, type SalesReport } from '../../src/analytics/sales-report.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { AppError } from '../../src/shared/errors.ts';
import { signedDeepLink } from './deep-link.ts';
import { escapeHtml } from './html.ts';
import { parseCommand } from './input.ts';
import { campaignComposer } from './campaign.composer.ts';
import { marketingComposer } from './marketing.composer.ts';
import { orderHtml, orderKeyboard, sellerOrderButtons, staffT as t } from './seller-orders.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';
import { ShopComposer } from './shop-composer.ts';

const STAFF_ONLY = new Set(['order', 'stock', 'stats', 'ship', 'link']);
const DEFAULT_STATS_DAYS = 7;

type Cmd = { name: string; args: string };
type Reply = (text: string, html?: boolean) => Promise<unknown>;

/**
 * Seller commands for the staff identities of SELLER_IDS: /orders, /order <n>
 * (buttons to move the order on, refund, cancel), /ship <n> [tracking]
 * [carrier link], /stock <sku> <qty>, /stats [days], /link <campaign>
 * [product]. Anyone else is refused and the attempt logged; a non-staff
 * /orders is the shopper's own.
 */
export function sellerComposer(deps: TelegramDeps, shop: ShopRef, staff: ReadonlySet<string>): Composer<ShopContext> {
  const c = new ShopComposer();
  const isStaff = (ctx: ShopContext) => ctx.from !== undefined && staff.has(String(ctx.from.id));
  const refuse = async (ctx: ShopContext, what: string) => {
    deps.log.warn({ telegramUser: ctx.from?.id, attempted: what }, 'seller command refused: not staff');
    ctx.turn.committed = true;
    await ctx.reply('Sorry, that command is for the shop staff only.');
  };

  c.command(['orders', ...STAFF_ONLY], async (ctx, next) => {
    const cmd = parseCommand(ctx.msg.text);
    if (!cmd) return;
    if (!isStaff(ctx)) return STAFF_ONLY.has(cmd.name) ? refuse(ctx, `/${cmd.name}`) : next();
    if (ctx.chat.type !== 'private') return void (await ctx.reply('Seller commands work in a private chat with the bot.'));
    const store = await shop.get();
    ctx.turn.committed = true;
    const reply: Reply = (text, html) => ctx.reply(text, html ? { parse_mode: 'HTML' } : {});
    const actor = `staff:telegram:${ctx.from?.id}`;
    try {
      if (cmd.name === 'order') return await orderCommand(deps, store.id, cmd, (o) => ctx.reply(orderHtml(o), { parse_mode: 'HTML', reply_markup: orderKeyboard(o) }), reply);
      if (cmd.name === 'ship') return await shipCommand(deps, store.id, cmd, actor, reply);
      if (cmd.name === 'link') return await linkCommand(deps, store.id, cmd, ctx.me.username, reply);
      if (cmd.name === 'stats') return await statsCommand(deps, store.id, cmd, reply, (png) => ctx.replyWithPhoto(new InputFile(png, 'stats.png')));
      if (cmd.name === 'stock') return await stockCommand(deps, store.id, cmd, actor, reply);
      return await ordersCommand(deps, store.id, reply);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await reply(err.message);
    }
  });

  c.use(sellerOrderButtons(deps, shop, isStaff, refuse));
  c.use(marketingComposer(deps, shop, isStaff));
  c.use(campaignComposer(deps, shop, isStaff));
  return c;
}

async function ordersCommand(deps: TelegramDeps, storeId: string, reply: Reply) {
  const page = await deps.orders.list(storeId, { limit: 10 });
  const lines = page.items.map((o) => `#${o.number} · ${escapeHtml(t.m.status({ status: o.status }))} · ${escapeHtml(t.money({ amount: o.total, currency: o.currency }))} · ${escapeHtml(t.date(o.createdAt))}`);
  await reply(lines.length ? ['<b>Latest orders</b>', ...lines, '', 'Open one with /order &lt;number&gt;.'].join('\n') : 'No orders yet.', true);
}

async function orderCommand(deps: TelegramDeps, storeId: string, cmd: Cmd, show: (o: OrderRecord) => Promise<unknown>, reply: Reply) {
  if (!/^\d{1,9}$/.test(cmd.args)) return void (await reply('Usage: /order <number>, e.g. /order 12'));
  const order = await findOrder(deps, storeId, cmd.args);
  if (!order) return void (await reply(`There is no order #${cmd.args}.`));
  await show(order);
}

/** /ship <n> [tracking number] [carrier link]; a paid order is marked fulfilled first. */
async function shipCommand(deps: TelegramDeps, storeId: string, cmd: Cmd, actor: string, reply: Reply) {
  const [number, ...rest] = cmd.args.split(/\s+/).filter(Boolean);
  const carrierUrl = rest.find((w) => /^https?:\/\//i.test(w));
  const tracking = rest.filter((w) => w !== carrierUrl);
  if (!number || !/^\d{1,9}$/.test(number) || tracking.length > 1) {
    return void (await reply('Usage: /ship <number> [tracking number] [carrier link], e.g. /ship 12 1Z999AA10123456784 https://carrier.example/track/1Z999AA10123456784'));
  }
  const order = await findOrder(deps, storeId, number);
  if (!order) return void (await reply(`There is no order #${number}.`));
  if (order.status === 'paid') {
    const packed = await deps.orders.transition(storeId, number, 'fulfilled', actor);
    if (!packed.ok) return void (await reply(`Not shipped: ${packed.message}`));
  }
  const r = await deps.orders.transition(storeId, number, 'shipped', actor, { trackingNumber: tracking[0], carrierUrl });
  deps.log.info({ staff: actor, order: number, ok: r.ok, tracking: Boolean(tracking[0] ?? carrierUrl) }, 'order shipped from telegram');
  if (!r.ok) return void (await reply(`Not shipped: ${r.message}`));
  await reply(`${orderHtml(r.value)}\n\nThe buyer has been told.`, true);
}

async function stockCommand(deps: TelegramDeps, storeId: string, cmd: Cmd, actor: string, reply: Reply) {
  const m = /^(\S{1,64})\s+(\d{1,7})$/.exec(cmd.args);
  if (!m?.[1] || !m[2]) return void (await reply('Usage: /stock <sku> <quantity>, e.g. /stock MUG-CLASSIC 25'));
  const r = await deps.catalog.setStock(storeId, m[1], Number(m[2]));
  deps.log.info({ staff: actor, sku: m[1], onHand: Number(m[2]), ok: r.ok }, 'stock set from telegram');
  await reply(r.ok ? `${m[1]}: ${Number(m[2])} on hand.` : `Not changed: ${r.message}`);
}

/** /stats [days]: the report as text, then as a chart image. */
async function statsCommand(deps: TelegramDeps, storeId: string, cmd: Cmd, reply: Reply, photo: (png: Uint8Array) => Promise<unknown>) {
  if (cmd.args && !/^\d{1,3}$/.test(cmd.args)) return void (await reply('Usage: /stats [days], e.g. /stats 30 (default 7)'));
  const report = await deps.salesReport.report(storeId, { days: cmd.args ? Number(cmd.args) : DEFAULT_STATS_DAYS });
  await reply(escapeHtml(formatReport(report)), true);
  await photo(new Uint8Array(salesChart(report)));
}

/** /link <campaign> [product]: the signed t.me link that credits the campaign. */
async function linkCommand(deps: TelegramDeps, storeId: string, cmd: Cmd, bot: string, reply: Reply) {
  const [campaign, product, ...rest] = cmd.args.split(/\s+/).filter(Boolean);
  if (!campaign || rest.length || !/^[A-Za-z0-9_]{1,20}$/.test(campaign)) {
    return void (await reply('Usage: /link <campaign> [product], e.g. /link spring_sale classic-hoodie (campaign: 1-20 letters, digits or _)'));
  }
  const productId = product ? (await deps.catalog.product(storeId, product)).id : undefined;
  const url = signedDeepLink(bot, deps, { kind: 'campaign', campaign, productId });
  await reply(url ? `Campaign link for ${campaign}:\n${url}` : 'Signed links are off: set LINK_SECRET (or TELEGRAM_BOT_TOKEN) first.');
}

/** The shared report text, with the staff translator's money and dates. */
const formatReport = (r: SalesReport) => formatSalesReport(r, { money: (m) => t.money(m), date: (d) => t.date(d) }).join('\n');

async function findOrder(deps: TelegramDeps, storeId: string, number: string): Promise<OrderRecord | null> {
  try {
    return await deps.orders.get(storeId, number);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}
