import type { CartView } from '../../cart/cart.service.ts';
import { availableOf, type ProductRecord, type VariantRecord } from '../../catalog/catalog.types.ts';
import { multiply } from '../../shared/money.ts';
import { encodeAction } from '../actions.ts';
import type { Button, ProductCard, Reply, VariantChoice } from '../conversation.types.ts';
import type { TurnContext } from '../engine.ports.ts';
import type { Translator } from '../i18n/i18n.ts';

export const FEW_LEFT = 5;

export function titleOf(p: Pick<ProductRecord, 'title' | 'translations'>, t: Translator): string {
  return p.translations[t.locale]?.title ?? p.title;
}

export function stockHint(available: number, t: Translator): string {
  if (available <= 0) return t.m.soldOut();
  if (available <= FEW_LEFT) return t.m.fewLeft({ count: available });
  return t.m.inStock();
}

/** Option values in the order of their names: PostgreSQL's jsonb does not keep key order. */
export function optionValues(options: Record<string, string>): string[] {
  return Object.keys(options)
    .sort()
    .map((k) => options[k] ?? '');
}

export function variantLabel(v: VariantRecord): string {
  const opts = optionValues(v.options);
  return opts.length ? opts.join(' / ') : v.title || v.sku;
}

/** The variants a shopper can buy right now. */
export const buyable = (p: ProductRecord) => p.variants.filter((v) => availableOf(v) > 0);

export function productCard(p: ProductRecord, ctx: TurnContext): ProductCard {
  const { t } = ctx;
  const available = p.variants.reduce((n, v) => n + availableOf(v), 0);
  const cheapest = p.variants.find((v) => v.price === p.minPrice) ?? p.variants[0];
  const buttons: Button[] = [{ label: t.m.view(), action: encodeAction({ op: 'product', id: p.id }) }];
  const [only] = p.variants;
  if (p.variants.length === 1 && only && available > 0) buttons.push({ label: t.m.add(), action: encodeAction({ op: 'add', variantId: only.id, quantity: 1 }) });
  // "★ 4.6 (12 reviews)" when the handler loaded ratings for this turn and the product has any.
  const found = ctx.ratings?.get(p.id);
  const rating = found && found.count > 0 ? { average: found.average, count: found.count } : null;
  return {
    id: p.id,
    slug: p.slug,
    title: titleOf(p, t),
    price: { amount: p.minPrice, currency: p.currency },
    priceText: t.money({ amount: p.minPrice, currency: p.currency }),
    compareAtText: cheapest?.compareAtPrice ? t.money({ amount: cheapest.compareAtPrice, currency: p.currency }) : null,
    imageUrl: p.images[0]?.url ?? null,
    stockHint: [stockHint(available, t), saleHint(p, ctx), rating ? t.m.ratingBadge(rating) : ''].filter(Boolean).join(' · '),
    available,
    ...(rating && { rating }),
    buttons,
  };
}

/** "🔥 Sale −20%, ends in 3h 20m" for a product a running sale covers. */
function saleHint(p: ProductRecord, ctx: TurnContext): string {
  const { t } = ctx;
  const sale = (ctx.sales ?? []).find((s) => (!s.productIds.length && !s.categoryIds.length) || s.productIds.includes(p.id) || (p.category !== null && s.categoryIds.includes(p.category.id)));
  if (!sale) return '';
  const what =
    sale.kind === 'percent'
      ? `−${(sale.percentBps ?? 0) / 100}%`
      : sale.kind === 'fixed'
        ? `−${t.money({ amount: sale.amountOff ?? 0, currency: p.currency })}`
        : sale.kind === 'free_shipping'
          ? t.m.saleFreeShipping()
          : t.m.saleBuyGet({ buy: sale.buyQuantity ?? 0, get: sale.getQuantity ?? 0 });
  const ms = sale.endsAt ? sale.endsAt.getTime() - (ctx.now ?? new Date()).getTime() : 0;
  const minutes = Math.floor(ms / 60_000);
  const left = sale.endsAt && ms > 0 ? t.m.duration({ days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 }) : '';
  return t.m.saleBadge({ what, left });
}

export function productList(title: string, products: ProductRecord[], ctx: TurnContext, more: Button | null): Reply {
  const items = products.slice(0, ctx.caps.pageSize).map((p) => productCard(p, ctx));
  return { type: 'products', title, items, ...(more && { buttons: [more] }) };
}

/** A product with its variants; buttons pick a variant or add the chosen one. */
export function productDetail(p: ProductRecord, ctx: TurnContext, chosen: VariantRecord | null): Reply {
  const { t } = ctx;
  const card = productCard(p, ctx);
  const options: Record<string, string[]> = {};
  for (const v of p.variants) for (const [k, val] of Object.entries(v.options).sort(([a], [b]) => a.localeCompare(b))) if (!options[k]?.includes(val)) (options[k] ??= []).push(val);
  const variants: VariantChoice[] = p.variants.map((v) => ({
    id: v.id,
    sku: v.sku,
    label: variantLabel(v),
    priceText: t.money({ amount: v.price, currency: v.currency }),
    available: availableOf(v),
  }));
  const buttons: Button[] = [];
  const single = p.variants.length === 1 ? p.variants[0] : undefined;
  const target = chosen ?? single;
  if (target && availableOf(target) > 0) {
    for (const q of [1, 2, 3].filter((n) => n <= availableOf(target))) {
      buttons.push({ label: q === 1 ? t.m.add() : t.m.addQty({ quantity: q }), action: encodeAction({ op: 'add', variantId: target.id, quantity: q }) });
    }
  } else if (!target) {
    const room = Math.max(0, ctx.caps.maxButtons - 2);
    for (const v of buyable(p).slice(0, room)) buttons.push({ label: variantLabel(v), action: encodeAction({ op: 'variant', id: v.id }) });
  }
  buttons.push(...notifyMeButtons(p, ctx, target ?? null, Math.max(0, ctx.caps.maxButtons - 2 - buttons.length)));
  buttons.push({ label: t.m.recommendTitle().replace(/[:：]$/, ''), action: encodeAction({ op: 'recommend', productId: p.id }) });
  buttons.push({ label: t.m.viewCart(), action: encodeAction({ op: 'cart' }) });
  const description = p.translations[t.locale]?.description ?? p.description;
  const lines = [
    `${card.title} — ${chosen ? t.money({ amount: chosen.price, currency: chosen.currency }) : card.priceText}`,
    chosen ? [variantLabel(chosen), stockHint(availableOf(chosen), t), card.rating ? t.m.ratingBadge(card.rating) : ''].filter(Boolean).join(' · ') : card.stockHint,
    description,
  ];
  if (!target && buyable(p).length) lines.push(t.m.chooseVariant());
  return {
    type: 'product',
    product: { ...card, description, images: p.images.map((i) => i.url), options, variants },
    text: lines.filter(Boolean).join('\n'),
    buttons: buttons.slice(0, ctx.caps.maxButtons),
  };
}

/** Chats that can receive a back-in-stock alert get "Notify me" for the sold-out variants shown. */
const ALERT_CHANNELS: readonly string[] = ['telegram', 'discord'];

function notifyMeButtons(p: ProductRecord, ctx: TurnContext, target: VariantRecord | null, room: number): Button[] {
  if (!ALERT_CHANNELS.includes(ctx.channel) || room <= 0) return [];
  const { t } = ctx;
  if (target) return availableOf(target) > 0 ? [] : [{ label: t.m.notifyMe(), action: encodeAction({ op: 'notifyMe', variantId: target.id }) }];
  const soldOut = p.variants.filter((v) => availableOf(v) <= 0 && !v.bundleParts);
  return soldOut.slice(0, room).map((v) => ({ label: t.m.notifyMeFor({ variant: variantLabel(v) }), action: encodeAction({ op: 'notifyMe', variantId: v.id }) }));
}

/** "Your cart is empty", with a way to browse. */
export function emptyCartReply({ t }: TurnContext): Reply {
  return { type: 'text', text: t.m.cartEmpty(), buttons: [{ label: t.m.menuBrowse(), action: encodeAction({ op: 'categories' }) }] };
}

export function cartReply(view: CartView, ctx: TurnContext): Reply {
  const { t } = ctx;
  const { cart, totals } = view;
  if (cart.lines.length === 0) return emptyCartReply(ctx);
  const count = cart.lines.reduce((n, l) => n + l.quantity, 0);
  const total = { amount: totals.total, currency: totals.currency };
  const lineButtons: Button[] = [];
  for (const l of cart.lines) {
    lineButtons.push({ label: `− ${l.productTitle}`, action: encodeAction({ op: 'setQty', itemId: l.id, quantity: l.quantity - 1 }) });
    if (l.quantity < l.available) lineButtons.push({ label: `+ ${l.productTitle}`, action: encodeAction({ op: 'setQty', itemId: l.id, quantity: l.quantity + 1 }) });
  }
  const fixed: Button[] = [
    { label: t.m.checkout(), action: encodeAction({ op: 'checkout' }) },
    { label: t.m.keepShopping(), action: encodeAction({ op: 'menu' }) },
    ...(cart.promotionCode ? [{ label: t.m.removeCode(), action: encodeAction({ op: 'removeCode' }) }] : []),
  ];
  return {
    type: 'cart',
    text: t.m.cartTitle({ count }),
    lines: cart.lines.map((l) => ({
      id: l.id,
      title: l.variantTitle ? `${l.productTitle} (${l.variantTitle})` : l.productTitle,
      quantity: l.quantity,
      lineTotalText: t.money({ amount: multiply(l.unitPrice, l.quantity), currency: l.currency }),
      imageUrl: l.imageUrl,
    })),
    totalText: [totalLines(totals, t), ...(cart.promotionCode && !totals.promotion ? [t.m.codeNotApplying({ code: cart.promotionCode })] : [])].join('\n'),
    total,
    buttons: [...fixed, ...lineButtons.slice(0, Math.max(0, ctx.caps.maxButtons - fixed.length))],
  };
}

/** Shipping and tax above the total when they are not zero; tax already in the prices below it. */
function totalLines(totals: CartView['totals'], t: Translator): string {
  const money = (amount: number) => t.money({ amount, currency: totals.currency });
  const lines: string[] = [];
  const promo = totals.promotion;
  if (promo && totals.discountTotal > 0) lines.push(promo.automatic ? t.m.cartSale({ amount: money(totals.discountTotal) }) : t.m.cartDiscount({ code: promo.code, amount: money(totals.discountTotal) }));
  if (promo?.freeShipping) lines.push(promo.automatic ? t.m.cartSaleFreeShipping() : t.m.cartFreeShipping({ code: promo.code }));
  if (totals.shippingTotal > 0) lines.push(t.m.cartShipping({ amount: money(totals.shippingTotal) }));
  if (totals.taxTotal > 0 && !totals.taxIncluded) lines.push(t.m.cartTax({ amount: money(totals.taxTotal) }));
  lines.push(t.m.cartTotal({ total: money(totals.total) }));
  if (totals.taxTotal > 0 && totals.taxIncluded) lines.push(t.m.cartTaxIncluded({ amount: money(totals.taxTotal) }));
  return lines.join('\n');
}
