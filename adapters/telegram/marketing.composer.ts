import { type Composer, InlineKeyboard } from 'grammy';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { BROADCAST_USAGE, broadcastStatus } from '../../src/marketing/broadcast-format.ts';
import { describeSegment, parseSegment } from '../../src/marketing/segment.ts';
import { PROMO_USAGE } from '../../src/promotions/promo-command.ts';
import { describePromotion } from '../../src/promotions/promotions.service.ts';
import { currencyExponent, formatMoney } from '../../src/shared/money.ts';
import { BroadcastProgress } from './broadcast-progress.ts';
import { resolveLocale, translator } from '../../src/conversation/i18n/i18n.ts';
import { clip } from './html.ts';
import { parseCommand } from './input.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';
import { ShopComposer } from './shop-composer.ts';

const COMMANDS = ['promo', 'promos', 'broadcast', 'broadcasts', 'sale', 'drop'];
const SALE_USAGE = [
  'Flash sale: /sale <what> [on <slug>] for <6h | 3d> (or until <date>) [| announcement]',
  'Applies to every cart in scope without a code, shows a countdown on product cards, and ends by itself.',
  'Example: /sale 20% on hoodies for 6h | 20% off all hoodies until tonight!',
].join('\n');

/**
 * Seller marketing commands, staff only: /promo (create or switch off a
 * code), /promos, /broadcast (compose, preview with the recipient count,
 * then Send or Cancel), /broadcasts (progress).
 */
export function marketingComposer(deps: TelegramDeps, shop: ShopRef, isStaff: (ctx: ShopContext) => boolean): Composer<ShopContext> {
  const c = new ShopComposer();
  let progress: BroadcastProgress | null = null;
  const statusOf = async (id: string) => {
    const store = await shop.get();
    const r = await deps.broadcasts?.get(store.id, id);
    if (!r?.ok) return null;
    const b = r.value.broadcast;
    const done = b.status === 'done' || b.status === 'cancelled';
    return { text: broadcastStatus(b, store.currency, await deps.broadcasts?.results(store.id, id)), done };
  };

  c.command(COMMANDS, async (ctx, next) => {
    const cmd = parseCommand(ctx.msg.text);
    if (!cmd) return;
    // For shoppers, /promo CODE applies a code to their cart (the engine answers it).
    if (!isStaff(ctx) && cmd.name === 'promo') return next();
    ctx.turn.committed = true;
    if (!isStaff(ctx)) {
      deps.log.warn({ telegramUser: ctx.from?.id, attempted: `/${cmd.name}` }, 'seller command refused: not staff');
      return void (await ctx.reply('Sorry, that command is for the shop staff only.'));
    }
    if (ctx.chat.type !== 'private') return void (await ctx.reply('Seller commands work in a private chat with the bot.'));
    const store = await shop.get();
    const actor = `staff:telegram:${ctx.from?.id}`;
    if (cmd.name === 'promos') return void (await ctx.reply(await promoList(deps, store)));
    if (cmd.name === 'promo') return void (await ctx.reply(await promoCommand(deps, store, cmd.args, actor)));
    if (cmd.name === 'broadcasts') return void (await ctx.reply(await broadcastList(deps, store)));
    if (cmd.name === 'drop') return void (await ctx.reply(await dropCommand(ctx, deps, store, cmd.args)));
    let args = cmd.args;
    if (cmd.name === 'sale') {
      const sale = await saleCommand(deps, store, cmd.args, actor);
      if (typeof sale === 'string') return void (await ctx.reply(sale));
      await ctx.reply(sale.created);
      args = `all | ${sale.announcement}`;
    }
    const draft = await composeBroadcast(deps, store, args, actor);
    if (typeof draft === 'string') return void (await ctx.reply(draft));
    await ctx.reply(draft.preview);
    await ctx.reply(draft.summary, {
      reply_markup: new InlineKeyboard().text(`Send to ${draft.count}`, `M1:${draft.id}:s`).text('Cancel', `M1:${draft.id}:c`),
    });
  });

  c.callbackQuery(/^M1:([a-z0-9]{1,40}):([scr])$/, async (ctx) => {
    ctx.turn.committed = true;
    if (!isStaff(ctx)) {
      deps.log.warn({ telegramUser: ctx.from.id, attempted: ctx.callbackQuery.data }, 'seller button refused: not staff');
      return void (await ctx.answerCallbackQuery({ text: 'Staff only.' }));
    }
    const [, id = '', op] = ctx.match;
    const store = await shop.get();
    const b = deps.broadcasts;
    if (!b) return void (await ctx.answerCallbackQuery());
    const r = op === 's' ? await b.confirm(store.id, id) : op === 'c' ? await b.cancel(store.id, id) : await b.get(store.id, id);
    if (!r.ok) return void (await ctx.answerCallbackQuery({ text: r.message.slice(0, 190) }));
    const record = 'broadcast' in r.value ? r.value.broadcast : r.value;
    await ctx.answerCallbackQuery(op === 's' ? { text: 'Sending…' } : op === 'c' ? { text: 'Cancelled' } : undefined);
    const refresh = record.status === 'sending' || record.status === 'scheduled' ? new InlineKeyboard().text('Refresh', `M1:${id}:r`).text('Stop', `M1:${id}:c`) : undefined;
    const results = record.status === 'draft' ? null : await b.results(store.id, id);
    const text = broadcastStatus(record, store.currency, results);
    await ctx.editMessageText(text, refresh ? { reply_markup: refresh } : {}).catch(() => undefined);
    // While it sends, the status message follows the progress by itself.
    const msg = ctx.callbackQuery.message;
    if (refresh && msg) (progress ??= new BroadcastProgress(ctx.api, statusOf, deps.log)).watch(id, msg.chat.id, msg.message_id, text);
  });
  return c;
}

async function promoList(deps: TelegramDeps, store: StoreRecord): Promise<string> {
  const list = (await deps.promotions?.list(store.id)) ?? [];
  return list.length ? ['Promo codes:', ...list.slice(0, 30).map(describePromotion)].join('\n') : `No promo codes yet.\n\n${PROMO_USAGE}`;
}

async function promoCommand(deps: TelegramDeps, store: StoreRecord, args: string, actor: string): Promise<string> {
  const p = deps.promotions;
  if (!p) return 'Promotions are not available.';
  const off = /^(off|on)\s+(\S+)$/i.exec(args.trim());
  if (off?.[1] && off[2]) {
    const r = await p.setActive(store.id, off[2], off[1].toLowerCase() === 'on');
    return r.ok ? describePromotion(r.value) : r.message;
  }
  if (!args.trim()) return PROMO_USAGE;
  const r = await p.createFromText(store, args);
  if (!r.ok) return r.message;
  deps.log.info({ actor, code: r.value.code }, 'promotion created from telegram');
  return `Created: ${describePromotion(r.value)}\nShoppers type: code ${r.value.code}`;
}

/** /sale: an automatic promotion with an end, and the text announcing it (a broadcast draft follows). */
async function saleCommand(deps: TelegramDeps, store: StoreRecord, args: string, actor: string): Promise<string | { created: string; announcement: string }> {
  const p = deps.promotions;
  if (!p) return 'Promotions are not available.';
  const bar = args.indexOf('|');
  const spec = (bar < 0 ? args : args.slice(0, bar)).trim();
  if (!spec) return SALE_USAGE;
  if (!/\b(for|until)\b/i.test(spec)) return `A flash sale needs an end: add "for 6h" or "until <date>".\n\n${SALE_USAGE}`;
  const code = `SALE${Math.random().toString(36).slice(2, 7).toUpperCase()}`;
  const r = await p.createFromText(store, `${code} ${spec}`, { automatic: true });
  if (!r.ok) return r.message;
  deps.log.info({ actor, code: r.value.code }, 'flash sale created from telegram');
  const ends = r.value.endsAt ? r.value.endsAt.toISOString().slice(0, 16).replace('T', ' ') : '';
  const what = describePromotion(r.value).split(' · ')[1] ?? '';
  const on = [...spec.matchAll(/\bon\s+([a-z0-9-]+)/gi)].map((m) => m[1]).join(', ');
  const announcement = bar < 0 ? `🔥 Flash sale: ${what}${on ? ` on ${on}` : ''}, until ${ends} UTC` : args.slice(bar + 1).trim();
  return { created: `Sale on: ${describePromotion(r.value)}. It ends by itself; /promo off ${r.value.code} stops it early.`, announcement };
}

/**
 * /drop <product> in <@channel | chat id>: the product as a photo card in a
 * channel or group, with a Buy button that opens it in the shopper's private
 * chat with the bot (a deep link), where the cart and payment live.
 */
async function dropCommand(ctx: ShopContext, deps: TelegramDeps, store: StoreRecord, args: string): Promise<string> {
  const m = /^(\S{1,120})\s+in\s+(@[A-Za-z0-9_]{5,32}|-?\d{5,20})$/.exec(args.trim());
  if (!m?.[1] || !m[2]) return 'Usage: /drop <product slug> in <@channel or chat id>, e.g. /drop classic-mug in @myshopdeals';
  const product = await deps.catalog.product(store.id, m[1]).catch(() => null);
  if (!product) return `There is no product "${m[1]}" for sale.`;
  const t = translator(resolveLocale(null, store.locale));
  const price = t.money({ amount: product.minPrice, currency: product.currency });
  const caption = clip(`${product.title} — ${price}\n${product.description}`, 1000);
  const buy = new InlineKeyboard().url(`${t.m.buy()} · ${price}`, `https://t.me/${ctx.me.username}?start=p_${product.id}`);
  const image = product.images[0]?.url;
  try {
    if (image) await ctx.api.sendPhoto(m[2], image, { caption, reply_markup: buy });
    else await ctx.api.sendMessage(m[2], caption, { reply_markup: buy });
  } catch (err) {
    deps.log.warn({ err, chat: m[2] }, 'drop not posted');
    return `Could not post to ${m[2]}: is the bot a member there (an admin, for a channel)?`;
  }
  deps.log.info({ product: product.slug, chat: m[2] }, 'product dropped from telegram');
  return `Dropped ${product.title} in ${m[2]}.`;
}

async function broadcastList(deps: TelegramDeps, store: StoreRecord): Promise<string> {
  const list = (await deps.broadcasts?.list(store.id, 10)) ?? [];
  return list.length ? list.map((b) => `${b.createdAt.toISOString().slice(0, 16).replace('T', ' ')} · ${broadcastStatus(b, store.currency)}`).join('\n\n') : `No broadcasts yet.\n\n${BROADCAST_USAGE}`;
}

async function composeBroadcast(deps: TelegramDeps, store: StoreRecord, args: string, actor: string) {
  const b = deps.broadcasts;
  if (!b) return 'Broadcasts are not available.';
  const bar = args.indexOf('|');
  if (bar < 0) return BROADCAST_USAGE;
  const words = args.slice(0, bar).trim().split(/\s+/).filter(Boolean);
  const text = args.slice(bar + 1).trim();
  const product = words.find((w) => w.startsWith('product:'))?.slice('product:'.length);
  const image = words.find((w) => w.startsWith('image:'))?.slice('image:'.length);
  const seg = parseSegment(words.filter((w) => !/^(product|image):/.test(w)).join(' '), currencyExponent(store.currency));
  if (!seg.ok) return seg.message;
  const productId = product ? (await deps.catalog.product(store.id, product).catch(() => null))?.id : null;
  if (product && !productId) return `There is no product "${product}" for sale.`;
  const r = await b.draft(store.id, { createdBy: actor, text, imageUrl: image ?? null, productId: productId ?? null, segment: seg.segment });
  if (!r.ok) return r.message;
  const count = r.value.recipients.telegram + r.value.recipients.discord;
  const who = describeSegment(seg.segment, (amount) => formatMoney({ amount, currency: store.currency }));
  return {
    id: r.value.broadcast.id,
    count,
    preview: text,
    summary: `Preview above. It reaches ${count} subscriber(s): ${who} (Telegram ${r.value.recipients.telegram}, Discord ${r.value.recipients.discord}). Quiet hours and opt-outs are respected while it sends.`,
  };
}
