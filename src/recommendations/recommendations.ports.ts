import type { ProductRecord } from '../catalog/catalog.types.ts';
import type { OrderStatus } from '../orders/order-state.ts';

/** Orders that reached payment and were not cancelled or fully refunded: what "bought" means here. */
export const soldStatuses = ['paid', 'fulfilled', 'shipped', 'delivered', 'partially_refunded'] as const satisfies readonly OrderStatus[];

/** Who the picks are for: a customer, a chat session, or both (either matches). */
export interface Shopper {
  customerId?: string | null | undefined;
  /** Conversation key, as recorded on analytics events. */
  sessionKey?: string | null | undefined;
}

/** What similarity and affinity scoring needs to know about a product. */
export interface ProductSignals {
  id: string;
  categoryId: string | null;
  tags: string[];
  minPrice: number;
  createdAt: Date;
  /** Some variant can be sold now (a bundle when all its parts can). */
  inStock: boolean;
}

/** A product id with the weight an aggregate gave it, best first. */
export interface RankedProduct {
  productId: string;
  score: number;
}

export interface CandidateQuery {
  /** Any of these categories … */
  categoryIds: string[];
  /** … or any of these tags … */
  tags: string[];
  /** … or a lowest price in this band (minor units). */
  priceBand?: { min: number; max: number } | undefined;
  excludeIds: string[];
  /** At most this many candidates are scored. */
  limit: number;
}

export interface ShopperHistory {
  /** Products the shopper viewed or added to a cart, most recent first, with the event type. */
  events: { productId: string; type: 'view' | 'add_to_cart' }[];
  /** Products the customer bought (paid or later), any time. */
  purchased: string[];
}

/** Reads behind recommendations; the aggregates run in the database. */
export interface RecommendationRepository {
  /** Signals of these products, any status. */
  signals(storeId: string, productIds: string[]): Promise<ProductSignals[]>;
  /** Active products matching any criterion of the query, newest first, at most `limit`. */
  candidates(storeId: string, q: CandidateQuery): Promise<ProductSignals[]>;
  /** id and parentId of every category of the store. */
  categoryTree(storeId: string): Promise<{ id: string; parentId: string | null }[]>;
  /** Active products in sold orders that also hold `productId`; score = such orders. */
  coPurchased(storeId: string, productId: string, limit: number): Promise<RankedProduct[]>;
  /** Active products by units sold (weighted) plus views since `since`. */
  trending(storeId: string, since: Date, limit: number, weights: { unit: number; view: number }): Promise<RankedProduct[]>;
  /** Active products, newest first. */
  newest(storeId: string, limit: number, excludeIds: string[]): Promise<string[]>;
  shopperHistory(storeId: string, shopper: Shopper, limit: number): Promise<ShopperHistory>;
  /** Active products by id, in the order given; unknown or inactive ids are skipped. */
  products(storeId: string, ids: string[]): Promise<ProductRecord[]>;
}
