export const analyticsEventTypes = ['view', 'search', 'add_to_cart', 'checkout_started', 'order_paid'] as const;
export type AnalyticsEventType = (typeof analyticsEventTypes)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Who did it and where; every event may carry these. */
interface EventContext {
  storeId: string;
  /** Known customer, when the shopper has one. */
  customerId?: string | null | undefined;
  /** Conversation key ("<channel>:<user or session id>") for shoppers who are not customers yet. */
  sessionKey?: string | null | undefined;
  /** telegram | discord | web | api */
  channel?: string | null | undefined;
  /** Anything else worth keeping (quantity, cart id, filters …), kept small. */
  data?: Record<string, JsonValue> | undefined;
}

/** A shopper event. Each type names the fields it needs; the rest are optional context. */
export type AnalyticsEvent =
  | (EventContext & { type: 'view'; productId: string; variantId?: string | null | undefined })
  | (EventContext & { type: 'search'; query: string; resultCount: number })
  | (EventContext & { type: 'add_to_cart'; productId: string; variantId?: string | null | undefined })
  | (EventContext & { type: 'checkout_started'; orderId?: string | null | undefined })
  | (EventContext & { type: 'order_paid'; orderId: string });

/** One stored row: the flat shape the repository writes. */
export interface AnalyticsEventRow {
  storeId: string;
  type: AnalyticsEventType;
  customerId: string | null;
  sessionKey: string | null;
  productId: string | null;
  variantId: string | null;
  orderId: string | null;
  query: string | null;
  resultCount: number | null;
  channel: string | null;
  data: Record<string, JsonValue> | null;
  createdAt: Date;
}

export interface ZeroResultSearch {
  /** Normalised query (trimmed, lower-case, single spaces). */
  query: string;
  count: number;
  lastSearchedAt: Date;
}

/** Shopper funnel since a date: each step counted on its own. */
export interface Funnel {
  /** Product views recorded. */
  views: number;
  /** add_to_cart events recorded. */
  carts: number;
  /** checkout_started events recorded. */
  checkouts: number;
  /** Orders of the store that moved to paid in the period (from the order history, whoever records events). */
  paid: number;
}

export interface AnalyticsRepository {
  /** Appends events in one batch (createMany). */
  insertMany(rows: AnalyticsEventRow[]): Promise<void>;
  zeroResultSearches(storeId: string, since: Date, limit: number): Promise<ZeroResultSearch[]>;
  funnel(storeId: string, since: Date): Promise<Funnel>;
}
