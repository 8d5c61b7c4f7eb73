import type { Result } from '../shared/errors.ts';
import type { OrderStatus, StockEffect } from './order-state.ts';
import type { OrderListQuery, OrderRecord } from './orders.types.ts';

export interface TransitionRequest {
  orderId: string;
  from: OrderStatus;
  to: OrderStatus;
  effect: StockEffect;
  actor: string;
  note?: string | undefined;
}

export interface OrderRepository {
  findById(storeId: string, idOrNumber: string): Promise<OrderRecord | null>;
  list(storeId: string, q: OrderListQuery): Promise<{ items: OrderRecord[]; nextCursor: string | null }>;
  /**
   * Moves the order from `from` to `to` atomically with its stock effect and an
   * OrderEvent. CONFLICT when the order is no longer in `from`.
   */
  transition(req: TransitionRequest): Promise<Result<OrderRecord, 'CONFLICT'>>;
  /** Unpaid orders whose reservation lapsed before `now`. */
  findLapsed(now: Date, limit: number): Promise<{ id: string; storeId: string }[]>;
}

/** Tells the buyer (and later the staff) about an order change; channels implement it. */
export interface OrderNotifier {
  orderChanged(order: OrderRecord, change: { from: OrderStatus | null; to: OrderStatus; note?: string | undefined }): Promise<void>;
}
