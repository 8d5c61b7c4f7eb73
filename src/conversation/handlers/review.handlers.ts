import type { ProductRecord } from '../../catalog/catalog.types.ts';
import { REVIEW_TEXT_MAX } from '../../reviews/reviews.ports.ts';
import { encodeAction } from '../actions.ts';
import type { Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import type { ConversationMemory } from '../state.ts';

/** How long after a rating the shopper's next message is taken as its words. */
export const COMMENT_WINDOW_MS = 10 * 60 * 1000;

const stars = (n: number) => `${'★'.repeat(n)}${'☆'.repeat(Math.max(0, 5 - n))}`;

/**
 * A star under a review request: records (or changes) the rating when the
 * order is the shopper's own and has arrived, thanks them and opens a short
 * window in which their next message is kept as the review's words. A
 * forged or stale star is refused and records nothing.
 */
export async function rate(deps: EngineDeps, ctx: TurnContext, a: { orderId: string; productId: string; stars: number }): Promise<Reply[]> {
  const { t } = ctx;
  if (!deps.reviews) return [{ type: 'text', text: t.m.reviewUnavailable() }];
  const r = await deps.reviews.rate(ctx.store.id, ctx.customerId, { orderId: a.orderId, productId: a.productId, rating: a.stars });
  if (!r.ok) {
    deps.log.info({ customerId: ctx.customerId, orderId: a.orderId, code: r.code }, 'product rating refused');
    const text = r.code === 'CONFLICT' ? t.m.reviewNotYet() : t.m.reviewRefused();
    return [{ type: 'text', text, buttons: [{ label: t.m.menuOrders(), action: encodeAction({ op: 'orders' }) }] }];
  }
  const { review, created, productTitle, next } = r.value;
  deps.log.info(
    { customerId: ctx.customerId, orderId: review.orderId, productId: review.productId, rating: review.rating, created },
    'product rated',
  );
  ctx.memory.reviewComment = { reviewId: review.id, expiresAt: new Date(deps.clock.now().getTime() + COMMENT_WINDOW_MS).toISOString() };
  const p = { title: productTitle, stars: stars(review.rating), minutes: COMMENT_WINDOW_MS / 60_000 };
  const thanks: Reply = {
    type: 'text',
    text: created ? t.m.reviewThanks(p) : t.m.reviewUpdated(p),
    buttons: [{ label: t.m.reviewNoWords(), action: encodeAction({ op: 'menu' }) }],
  };
  if (!next) return [thanks];
  // An order of several products: the stars for the next one not rated yet, one product at a time.
  const row = [1, 2, 3, 4, 5].map((n) => ({ label: `${n}★`, action: encodeAction({ op: 'rate', orderId: review.orderId, productId: next.id, stars: n }) }));
  return [thanks, { type: 'text', text: t.m.reviewNext({ title: next.title }), buttons: row }];
}

/** Takes the open comment window out of the memory (any turn closes it); returns it while still open. */
export function takeCommentWindow(memory: ConversationMemory, now: Date): { reviewId: string } | null {
  const open = memory.reviewComment;
  delete memory.reviewComment;
  return open && new Date(open.expiresAt) > now ? { reviewId: open.reviewId } : null;
}

/** The shopper's words after a rating, kept with the review; too long keeps the window open for a shorter try. */
export async function addComment(deps: EngineDeps, ctx: TurnContext, reviewId: string, text: string): Promise<Reply[]> {
  const { t } = ctx;
  if (!deps.reviews) return [{ type: 'text', text: t.m.reviewUnavailable() }];
  if (text.length > REVIEW_TEXT_MAX) {
    ctx.memory.reviewComment = { reviewId, expiresAt: new Date(deps.clock.now().getTime() + COMMENT_WINDOW_MS).toISOString() };
    return [{ type: 'text', text: t.m.reviewTooLong({ max: REVIEW_TEXT_MAX }) }];
  }
  const r = await deps.reviews.comment(ctx.store.id, ctx.customerId, reviewId, text);
  if (!r.ok) return [{ type: 'text', text: t.m.reviewRefused() }];
  deps.log.info({ customerId: ctx.customerId, reviewId, length: text.length }, 'review words added');
  return [{ type: 'text', text: t.m.reviewWordsSaved(), buttons: [{ label: t.m.keepShopping(), action: encodeAction({ op: 'menu' }) }] }];
}

/** Loads the ratings of the products about to be shown into the turn; a failure only leaves the stars off. */
export async function loadRatings(deps: EngineDeps, ctx: TurnContext, products: readonly Pick<ProductRecord, 'id'>[]): Promise<void> {
  if (!deps.reviews || !products.length) return;
  try {
    const found = await deps.reviews.summaries(
      ctx.store.id,
      products.map((p) => p.id),
    );
    ctx.ratings = new Map([...(ctx.ratings ?? []), ...found]);
  } catch (err) {
    deps.log.warn({ err, store: ctx.store.slug }, 'product ratings could not be loaded');
  }
}
