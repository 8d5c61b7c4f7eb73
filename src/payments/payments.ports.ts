import type { OrderRecord, PaymentRecord } from '../orders/orders.types.ts';
import type { ShippingAddress } from '../cart/shipping-address.ts';
import type { Result } from '../shared/errors.ts';

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';

/** What the payments module needs from storage, beyond the order state machine. */
export interface PaymentLedger {
  /** An order of any store, by id (payment pages and webhooks carry no store). */
  findOrder(orderId: string): Promise<OrderRecord | null>;
  /** Sets the status of the order's payment with this reference; records the row first if it is missing. */
  settlePayment(orderId: string, p: { provider: string; providerRef: string; amount: number; currency: string; status: PaymentStatus }): Promise<PaymentRecord>;
  /** Adds `amount` to payment.refunded only while it still equals `expectedRefunded` and stays within the amount paid. */
  reserveRefund(paymentId: string, expectedRefunded: number, amount: number): Promise<boolean>;
  /** Gives back a reservation whose refund the provider did not make. */
  undoRefund(paymentId: string, amount: number): Promise<void>;
  /** Raises payment.refunded to `total` (never lowers it) and sets the status to match; returns the payment. */
  raiseRefunded(paymentId: string, total: number): Promise<PaymentRecord>;
  /** An order event that changes no status (e.g. "paid after cancellation: refund needed"). */
  flag(orderId: string, status: string, actor: string, note: string): Promise<void>;
  /** Moves an unpaid, unlapsed order's hold (and its reservations) to `until`; false when it is no longer holdable. */
  extendHold(orderId: string, until: Date, now: Date): Promise<boolean>;
  /** True when any item ships (has a weight), so an address is needed. */
  hasPhysicalGoods(orderId: string): Promise<boolean>;
  /** Stores the address the payment provider collected (it replaces the cart's). */
  setShippingAddress(orderId: string, address: ShippingAddress): Promise<void>;
}

/** A provider that can give money back (Stripe Refunds API; the demo provider refunds at once). */
export interface RefundGateway {
  refund(
    order: OrderRecord,
    payment: PaymentRecord,
    amount: number,
    idempotencyKey: string,
  ): Promise<Result<{ providerRef: string }, 'SERVICE_UNAVAILABLE'>>;
}

/** A payment event in domain terms, whichever provider sent it. */
export type PaymentEvent =
  | {
      kind: 'succeeded';
      orderId: string;
      provider: string;
      providerRef: string;
      amount: number;
      currency: string;
      /** Collected by the provider (Stripe Checkout, Telegram invoice), when it did. */
      shippingAddress?: ShippingAddress | null | undefined;
    }
  | { kind: 'failed'; orderId: string; provider: string; providerRef: string; reason: string }
  | { kind: 'refunds_changed'; orderId: string; provider: string; refundedTotal: number };

/** Verifies and translates a provider's webhook; `event: null` for types we do not act on. */
export interface WebhookVerifier {
  readonly provider: string;
  verify(rawBody: string, signature: string | undefined): Promise<Result<{ eventId: string; type: string; event: PaymentEvent | null }, 'BAD_REQUEST'>>;
}

/** Records paid orders for analytics (AnalyticsService fits). */
export interface PaidOrderSink {
  record(e: { type: 'order_paid'; storeId: string; orderId: string; customerId?: string | null; channel?: string | null }): void;
}
