import type { Result } from '../shared/errors.ts';
import type { OrderRecord, PaymentRecord } from '../orders/orders.types.ts';
import type { ShippingAddress } from '../cart/shipping-address.ts';

export interface OrderDraft {
  storeId: string;
  cartId: string;
  customerId: string | null;
  channel: string;
  email: string | null;
  idempotencyKey: string;
  requestHash: string;
  currency: string;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  total: number;
  reservedUntil: Date;
  shippingAddress: ShippingAddress | null;
  /** The promo code behind discountTotal (or free shipping), redeemed in the same transaction. */
  promotionCode: string | null;
  items: { variantId: string; sku: string; title: string; variantTitle: string; unitPrice: number; quantity: number; lineTotal: number }[];
  /** Stocked variants to hold, bundles already expanded into their parts. */
  holds: { variantId: string; sku: string; quantity: number }[];
}

export interface CheckoutRepository {
  findByIdempotencyKey(storeId: string, key: string): Promise<OrderRecord | null>;
  /**
   * In one transaction: holds every unit (never below zero), numbers the order,
   * writes it with its items, reservations and first event, and closes the cart.
   * Another request with the same key that won the race → DUPLICATE with that order.
   */
  placeOrder(draft: OrderDraft): Promise<
    | { ok: true; order: OrderRecord }
    | { ok: false; code: 'INSUFFICIENT_STOCK'; sku: string }
    | { ok: false; code: 'CART_CLOSED' }
    | { ok: false; code: 'DUPLICATE'; order: OrderRecord }
    | { ok: false; code: 'PROMOTION_REFUSED' }
  >;
  /** An unpaid order was cancelled: its promo code use is given back (once). */
  releasePromotion(orderId: string): Promise<boolean>;
  /** Records the payment session handed to the shopper (once per provider reference). */
  recordPayment(orderId: string, p: Omit<PaymentRecord, 'id' | 'refunded' | 'status'>): Promise<PaymentRecord>;
}

export interface PaymentSession {
  provider: string;
  /** Where the shopper pays. */
  url: string;
  providerRef: string;
}

/** Stripe, Telegram invoices and the demo provider implement this (payments issue). */
export interface PaymentProvider {
  readonly name: string;
  createSession(order: OrderRecord): Promise<Result<PaymentSession, 'SERVICE_UNAVAILABLE'>>;
}
