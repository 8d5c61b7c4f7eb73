import { fail, ok, type Result } from '../shared/errors.ts';
import { RATING_MAX, RATING_MIN, REVIEW_TEXT_MAX, type RatingSummary, type ReviewRecord, type ReviewRepository } from './reviews.ports.ts';

/** Orders whose goods the shopper has in hand, so a rating means something. */
const RATEABLE_STATUSES: readonly string[] = ['fulfilled', 'delivered'];

export type RateRefusal = 'NOT_FOUND' | 'VALIDATION_FAILED' | 'CONFLICT';

export interface Rated {
  review: ReviewRecord;
  /** False when this replaced an earlier rating of the same product and order. */
  created: boolean;
  orderNumber: number;
  productTitle: string;
  /** The order's next product not rated yet (the request rates one at a time), if any. */
  next: { id: string; title: string } | null;
}

/**
 * Product reviews: a shopper rates a product of their own fulfilled or
 * delivered order (1–5 stars, again to change it) and may add a few words;
 * shops show each product's average. Someone else's order, a product not in
 * the order or an order not received yet is refused as a typed result.
 */
export class ReviewService {
  constructor(private readonly repo: ReviewRepository) {}

  async rate(
    storeId: string,
    customerId: string,
    input: { orderId: string; productId: string; rating: number },
  ): Promise<Result<Rated, RateRefusal>> {
    if (!Number.isInteger(input.rating) || input.rating < RATING_MIN || input.rating > RATING_MAX)
      return fail('VALIDATION_FAILED', `A rating is ${RATING_MIN} to ${RATING_MAX} stars`);
    const order = await this.repo.reviewableOrder(storeId, input.orderId);
    // Someone else's order reads as no order at all: nothing about it is revealed.
    if (!order || order.customerId !== customerId) return fail('NOT_FOUND', 'Order not found');
    const product = order.products.find((p) => p.id === input.productId);
    if (!product) return fail('NOT_FOUND', 'That product is not in this order');
    if (!RATEABLE_STATUSES.includes(order.status)) return fail('CONFLICT', `Order #${order.number} has not been received yet`);
    const { review, created } = await this.repo.upsertRating({
      storeId,
      productId: product.id,
      orderId: order.id,
      customerId,
      rating: input.rating,
    });
    const next = order.products.find((p) => p.id !== product.id && !order.rated.includes(p.id)) ?? null;
    return ok({ review, created, orderNumber: order.number, productTitle: product.title, next });
  }

  /** The shopper's words for their review; empty or too long is refused. */
  async comment(
    storeId: string,
    customerId: string,
    reviewId: string,
    text: string,
  ): Promise<Result<ReviewRecord, 'NOT_FOUND' | 'VALIDATION_FAILED'>> {
    const words = text.trim();
    if (!words) return fail('VALIDATION_FAILED', 'The review text is empty');
    if (words.length > REVIEW_TEXT_MAX) return fail('VALIDATION_FAILED', `A review is at most ${REVIEW_TEXT_MAX} characters`);
    const review = await this.repo.setText(storeId, reviewId, customerId, words);
    return review ? ok(review) : fail('NOT_FOUND', 'Review not found');
  }

  summaries(storeId: string, productIds: readonly string[]): Promise<Map<string, RatingSummary>> {
    if (!productIds.length) return Promise.resolve(new Map<string, RatingSummary>());
    return this.repo.summaries(storeId, [...new Set(productIds)]);
  }

  list(storeId: string, productId: string, q: { limit: number; cursor?: string | undefined }) {
    return this.repo.list(storeId, productId, q);
  }
}
