/** Stars a review may give. */
export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** Longest review text kept (longer words are refused, never cut). */
export const REVIEW_TEXT_MAX = 1000;

/**
 * One shopper's rating of one product of one of their orders. Unique per
 * (order, product): rating again updates it. After /forgetme the rating
 * stays for the product's average with no customer, and the text is gone.
 */
export interface ReviewRecord {
  id: string;
  storeId: string;
  productId: string;
  orderId: string;
  customerId: string | null;
  rating: number;
  text: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** "★ 4.6 (12 reviews)": the average to one decimal, and how many ratings. */
export interface RatingSummary {
  average: number;
  count: number;
}

/** An order as the review rules need it: whose it is, where it stands, which products it holds. */
export interface ReviewableOrder {
  id: string;
  number: number;
  customerId: string | null;
  status: string;
  /** Distinct products of the order's items, in item order (items whose variant is gone are left out). */
  products: { id: string; title: string }[];
  /** The products of this order rated already. */
  rated: string[];
}

export interface ReviewRepository {
  reviewableOrder(storeId: string, orderId: string): Promise<ReviewableOrder | null>;
  /** Inserts the (order, product) review, or sets its rating when there is one; race-safe. */
  upsertRating(input: {
    storeId: string;
    productId: string;
    orderId: string;
    customerId: string;
    rating: number;
  }): Promise<{ review: ReviewRecord; created: boolean }>;
  /** Sets the words of the customer's own review; null when there is no such review. */
  setText(storeId: string, reviewId: string, customerId: string, text: string): Promise<ReviewRecord | null>;
  /** Average and count per product, for the products that have ratings. */
  summaries(storeId: string, productIds: readonly string[]): Promise<Map<string, RatingSummary>>;
  /** A product's reviews, newest first. */
  list(
    storeId: string,
    productId: string,
    q: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: ReviewRecord[]; nextCursor: string | null }>;
}
