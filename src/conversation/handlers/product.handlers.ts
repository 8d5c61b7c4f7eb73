import type { ProductRecord } from '../../catalog/catalog.types.ts';
import { AppError } from '../../shared/errors.ts';
import type { Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import { productDetail, productList } from '../render/cards.ts';
import { loadRatings } from './review.handlers.ts';

/** The product, or null when it is gone or not for sale (a stale button). */
export async function loadProduct(deps: EngineDeps, ctx: TurnContext, idOrSlug: string): Promise<ProductRecord | null> {
  try {
    return await deps.catalog.product(ctx.store.id, idOrSlug);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

export async function showProduct(deps: EngineDeps, ctx: TurnContext, id: string): Promise<Reply[] | null> {
  const p = await loadProduct(deps, ctx, id);
  if (!p) return null;
  ctx.memory.focusProductId = p.id;
  ctx.memory.focusVariantId = p.variants.length === 1 ? p.variants[0]?.id : undefined;
  deps.events.record({ storeId: ctx.store.id, type: 'view', customerId: ctx.customerId, sessionKey: ctx.sessionKey, productId: p.id, channel: ctx.channel });
  const replies: Reply[] = [];
  const image = p.images[0];
  if (image) replies.push({ type: 'image', url: image.url, caption: p.title });
  await loadRatings(deps, ctx, [p]);
  replies.push(productDetail(p, ctx, null));
  return replies;
}

export async function chooseVariant(deps: EngineDeps, ctx: TurnContext, variantId: string): Promise<Reply[] | null> {
  const product = ctx.memory.focusProductId ? await loadProduct(deps, ctx, ctx.memory.focusProductId) : null;
  const variant = product?.variants.find((v) => v.id === variantId);
  if (!product || !variant) return null;
  ctx.memory.focusVariantId = variant.id;
  await loadRatings(deps, ctx, [product]);
  return [productDetail(product, ctx, variant)];
}

/** "You may also like" for a product, else picks for this shopper, else popular. */
export async function recommend(deps: EngineDeps, ctx: TurnContext, productId: string | null): Promise<Reply[]> {
  const limit = ctx.caps.pageSize;
  const { t } = ctx;
  let title = t.m.recommendTitle();
  let items: ProductRecord[] = [];
  const focus = productId ?? ctx.memory.focusProductId ?? null;
  if (focus) items = await deps.recommender.youMayAlsoLike(ctx.store.id, focus, limit);
  if (!items.length) {
    title = t.m.forYouTitle();
    items = await deps.recommender.forShopper(ctx.store.id, { customerId: ctx.customerId, sessionKey: ctx.sessionKey }, limit);
  }
  return show(deps, ctx, title, items);
}

export async function popular(deps: EngineDeps, ctx: TurnContext): Promise<Reply[]> {
  return show(deps, ctx, ctx.t.m.popularTitle(), await deps.recommender.popular(ctx.store.id, ctx.caps.pageSize));
}

async function show(deps: EngineDeps, ctx: TurnContext, title: string, items: ProductRecord[]): Promise<Reply[]> {
  if (!items.length) return [{ type: 'text', text: ctx.t.m.nothingToRecommend() }];
  ctx.memory.lastResults = items.map((p) => p.id);
  await loadRatings(deps, ctx, items);
  return [productList(title, items, ctx, null)];
}
