import type { Result } from '../shared/errors.ts';
import type { OrderStatus, StockEffect } from './order-state.ts';
import type { OrderListQuery, OrderRecord, OrderSummary } from './orders.types.ts';

/** What a transition may carry besides the new status. */
export interface TransitionDetails {
  note?: string | undefined;
  /** Only when the order is shipped. */
  trackingNumber?: string | undefined;
  /** http(s) link to the carrier's tracking page; only when the order is shipped. */
  carrierUrl?: string | undefined;
}

export interface TransitionRequest {
  orderId: string;
  from: OrderStatus;
  to: OrderStatus;
  effect: StockEffect;
  actor: string;
  note?: string | undefined;
  /** Stored on the order when given (shipping). */
  tracking?: { trackingNumber: string | null; carrierUrl: string | null } | undefined;
}

export interface OrderRepository {
  findById(storeId: string, idOrNumber: string): Promise<OrderRecord | null>;
  list(storeId: string, q: OrderListQuery): Promise<{ items: OrderRecord[]; nextCursor: string | null }>;
  /** A customer's latest orders, newest first, as summaries (one query: a chat's "my orders"). */
  recentFor(storeId: string, customerId: string, limit: number): Promise<OrderSummary[]>;
  /**
   * Moves the order from `from` to `to` atomically with its stock effect and an
   * OrderEvent. CONFLICT when the order is no longer in `from`.
   */
  transition(req: TransitionRequest): Promise<Result<OrderRecord, 'CONFLICT'>>;
  /** Unpaid orders whose reservation lapsed before `now`. */
  findLapsed(now: Date, limit: number): Promise<{ id: string; storeId: string }[]>;
}

/** Digital goods handed over (or owed) to the buyer of a paid order, announced once. */
export interface DeliveryNotice {
  /** Deliveries with content that the buyer has not been sent yet (now claimed as sent). */
  delivered: OrderRecord['deliveries'];
  /** Deliveries still waiting for a license key (the pool ran out). */
  pending: OrderRecord['deliveries'];
}

export interface OrderChange {
  from: OrderStatus | null;
  to: OrderStatus;
  note?: string | undefined;
  /** Who made it (system, admin:<key>, customer:<id>, provider:<name>, staff:…). */
  actor?: string | undefined;
}

/** Tells the buyer (and the staff) about an order change; channels implement it. */
export interface OrderNotifier {
  orderChanged(order: OrderRecord, change: OrderChange): Promise<void>;
  /** Digital goods for a paid order: sent to the buyer's chat; staff hear of pending ones. */
  goodsDelivered?(order: OrderRecord, notice: DeliveryNotice): Promise<void>;
}

/**
 * Gives the money back when a paid order is cancelled (the payments module
 * implements it with the provider), so money and stock stay consistent.
 */
export interface CancellationRefunds {
  /** Refunds everything still refundable; ok(null) when nothing was paid through a provider. */
  refundForCancel(order: OrderRecord, actor: string): Promise<Result<{ amount: number; currency: string } | null>>;
  /** The refund was made but the cancel lost a race: records the refund on the order as it now is. */
  recordRefundWithoutCancel(order: OrderRecord, actor: string): Promise<void>;
}

/** Hands over a paid order's digital goods (the digital delivery service implements it). */
export interface PaidOrderFulfilment {
  fulfil(order: OrderRecord): Promise<void>;
}
