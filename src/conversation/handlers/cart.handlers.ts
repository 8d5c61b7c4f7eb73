import type { ProductRecord, VariantRecord } from '../../catalog/catalog.types.ts';
import { randomToken } from '../../shared/ids.ts';
import { encodeAction } from '../actions.ts';
import type { Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import type { ProductRef } from '../intents/intent.types.ts';
import { cartReply, emptyCartReply, productDetail, titleOf } from '../render/cards.ts';
import { loadProduct } from './product.handlers.ts';
import { loadRatings } from './review.handlers.ts';

const PENDING_TTL_MS = 10 * 60 * 1000;

/** The shopper's open cart, or null: looking at or changing a cart never creates one (adding does). */
function currentCart(deps: EngineDeps, ctx: TurnContext) {
  return deps.carts.current(ctx.store, ctx.customerId);
}

export async function showCart(deps: EngineDeps, ctx: TurnContext): Promise<Reply[]> {
  // The lines are loaded already: price them, rather than loading the cart again.
  const cart = await currentCart(deps, ctx);
  if (!cart) return [emptyCartReply(ctx)];
  return [cartReply({ cart, totals: await deps.carts.totals(cart) }, ctx)];
}

/** The product a reference means, or a reply asking which one. */
async function resolveRef(deps: EngineDeps, ctx: TurnContext, ref: ProductRef): Promise<{ product: ProductRecord; variant: VariantRecord | null } | Reply[]> {
  let product: ProductRecord | null = null;
  let variant: VariantRecord | null = null;
  if (ref.kind === 'focus') {
    const id = ctx.memory.focusProductId ?? (ctx.memory.lastResults?.length === 1 ? ctx.memory.lastResults[0] : undefined);
    if (id) product = await loadProduct(deps, ctx, id);
    variant = product?.variants.find((v) => v.id === ctx.memory.focusVariantId) ?? null;
  } else if (ref.kind === 'index') {
    const ids = ctx.memory.lastResults ?? [];
    const id = ref.index < 0 ? ids.at(-1) : ids[ref.index];
    if (id) product = await loadProduct(deps, ctx, id);
  } else {
    const r = ref.request;
    const found = await deps.search.products({ storeId: ctx.store.id, q: r.q, category: r.category, minPrice: r.minPrice, maxPrice: r.maxPrice, options: r.options, sort: r.sort, limit: 1, statuses: ['active'] });
    product = found.items[0] ?? null;
    if (product && r.options) {
      const wanted = Object.entries(r.options);
      variant = product.variants.find((v) => wanted.every(([k, vals]) => vals.some((x) => v.options[k]?.toLowerCase() === x.toLowerCase()))) ?? null;
    }
  }
  if (!product) return [{ type: 'text', text: ctx.t.m.whichOne() }];
  if (!variant && product.variants.length === 1) variant = product.variants[0] ?? null;
  return { product, variant };
}

export async function addByRef(deps: EngineDeps, ctx: TurnContext, ref: ProductRef, quantity: number): Promise<Reply[]> {
  const resolved = await resolveRef(deps, ctx, ref);
  if (Array.isArray(resolved)) return resolved;
  const { product, variant } = resolved;
  ctx.memory.focusProductId = product.id;
  if (!variant) {
    // Which size/colour? Show the choices instead of guessing.
    await loadRatings(deps, ctx, [product]);
    return [productDetail(product, ctx, null)];
  }
  return addVariant(deps, ctx, variant.id, quantity, product);
}

/**
 * Adds a variant to the shopper's cart. `product` saves a lookup when the
 * caller already has it; otherwise the variant's product is loaded once.
 */
export async function addVariant(deps: EngineDeps, ctx: TurnContext, variantId: string, quantity: number, known?: ProductRecord): Promise<Reply[]> {
  const { t } = ctx;
  let product = known?.variants.some((v) => v.id === variantId) ? known : undefined;
  if (!product) {
    const v = await deps.catalog.variant(ctx.store.id, variantId);
    product = v ? ((await loadProduct(deps, ctx, v.productId)) ?? undefined) : undefined;
  }
  const variant = product?.variants.find((v) => v.id === variantId);
  if (!product || !variant) return [{ type: 'text', text: t.m.productGone() }];
  const title = titleOf(product, t);
  const cartId = await deps.carts.openId(ctx.store, { customerId: ctx.customerId, channel: ctx.channel });
  const r = await deps.carts.addItem(ctx.store.id, cartId, variant.sku, quantity);
  if (!r.ok) {
    if (r.code === 'INSUFFICIENT_STOCK') {
      const d = r.details;
      const available = typeof d === 'object' && d !== null && 'available' in d && typeof d.available === 'number' ? d.available : 0;
      const requested = typeof d === 'object' && d !== null && 'requested' in d && typeof d.requested === 'number' ? d.requested : quantity;
      // What this shopper can still add, given what their cart already holds.
      return [{ type: 'text', text: t.m.notEnoughStock({ title, available: Math.max(0, available - (requested - quantity)) }) }];
    }
    if (r.code === 'CART_CLOSED') return [{ type: 'text', text: t.m.checkoutClosed() }];
    return [{ type: 'text', text: t.m.productGone() }];
  }
  ctx.memory.focusProductId = product.id;
  ctx.memory.focusVariantId = variant.id;
  deps.events.record({ storeId: ctx.store.id, type: 'add_to_cart', customerId: ctx.customerId, sessionKey: ctx.sessionKey, productId: product.id, variantId: variant.id, channel: ctx.channel });
  return [{ type: 'text', text: t.m.added({ quantity, title }) }, cartReply(r.value, ctx)];
}

export async function setQuantity(deps: EngineDeps, ctx: TurnContext, itemId: string, quantity: number): Promise<Reply[] | null> {
  const cart = await currentCart(deps, ctx);
  const line = cart?.lines.find((l) => l.id === itemId);
  if (!cart || !line) return null;
  const r = await deps.carts.setQuantity(ctx.store.id, cart.id, itemId, quantity);
  if (!r.ok) return [{ type: 'text', text: r.code === 'INSUFFICIENT_STOCK' ? ctx.t.m.notEnoughStock({ title: line.productTitle, available: line.available }) : ctx.t.m.productGone() }];
  const note = quantity === 0 ? ctx.t.m.removed({ title: line.productTitle }) : ctx.t.m.quantitySet({ title: line.productTitle, quantity });
  return [{ type: 'text', text: note }, cartReply(r.value, ctx)];
}

/** "remove the mug", "change mug to 3": the cart line whose title or SKU matches best. */
export async function changeByWords(deps: EngineDeps, ctx: TurnContext, query: string | null, quantity: number): Promise<Reply[]> {
  const cart = await currentCart(deps, ctx);
  if (!cart) return [{ type: 'text', text: ctx.t.m.notInCart({ query: query ?? '' }) }];
  const words = (query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const score = (text: string) => words.filter((w) => text.includes(w) || text.includes(w.replace(/s$/, ''))).length;
  const ranked = cart.lines
    .map((l) => ({ l, s: words.length ? score(`${l.productTitle} ${l.variantTitle} ${l.sku}`.toLowerCase()) : 1 }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s);
  const best = ranked[0]?.l ?? (cart.lines.length === 1 && !words.length ? cart.lines[0] : undefined);
  if (!best) return [{ type: 'text', text: ctx.t.m.notInCart({ query: query ?? '' }) }];
  return (await setQuantity(deps, ctx, best.id, quantity)) ?? [{ type: 'text', text: ctx.t.m.notInCart({ query: query ?? '' }) }];
}

/** A cart change the model proposed waits for the shopper's "yes" button. */
export async function proposeAdd(deps: EngineDeps, ctx: TurnContext, variantId: string, quantity: number): Promise<Reply[]> {
  const variant = await deps.catalog.variant(ctx.store.id, variantId);
  const product = variant ? await loadProduct(deps, ctx, variant.productId) : null;
  if (!variant || !product) return [{ type: 'text', text: ctx.t.m.productGone() }];
  const token = randomToken(9);
  ctx.memory.pending = { token, kind: 'add', variantId, quantity, expiresAt: new Date(deps.clock.now().getTime() + PENDING_TTL_MS).toISOString() };
  ctx.memory.focusProductId = product.id;
  const price = ctx.t.money({ amount: variant.price, currency: variant.currency });
  return [
    {
      type: 'text',
      text: ctx.t.m.confirmAdd({ quantity, title: titleOf(product, ctx.t), price }),
      buttons: [
        { label: ctx.t.m.yes(), action: encodeAction({ op: 'confirm', token }) },
        { label: ctx.t.m.no(), action: encodeAction({ op: 'reject', token }) },
      ],
    },
  ];
}

export async function confirm(deps: EngineDeps, ctx: TurnContext, token: string, accept: boolean): Promise<Reply[] | null> {
  const p = ctx.memory.pending;
  if (!p || p.token !== token || new Date(p.expiresAt) < deps.clock.now()) return null;
  ctx.memory.pending = undefined;
  if (!accept) return [{ type: 'text', text: ctx.t.m.cancelled() }];
  return addVariant(deps, ctx, p.variantId, p.quantity);
}
