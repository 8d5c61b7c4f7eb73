import type { Result } from '../shared/errors.ts';
import type { CartRecord, Totals } from './cart.types.ts';
import type { ShippingAddress } from './shipping-address.ts';

export interface CartRepository {
  /** Creates a cart; for a customer, returns their open cart in this store if there is one. */
  openFor(storeId: string, input: { customerId: string | null; currency: string; channel: string | null }): Promise<CartRecord>;
  /** The customer's open cart in this store, or null; nothing is created. */
  findOpenFor(storeId: string, customerId: string): Promise<CartRecord | null>;
  /** Like openFor for a known customer, returning only the cart id. */
  openIdFor(storeId: string, input: { customerId: string; currency: string; channel: string | null }): Promise<string>;
  get(storeId: string, cartId: string): Promise<CartRecord | null>;
  /** Cheap check before a change: the cart's status and how many of a variant it holds. */
  peek(storeId: string, cartId: string, variantId: string | null): Promise<{ status: CartRecord['status']; quantity: number } | null>;
  /** Adds to the line of this variant (creating it) and returns the new line quantity. */
  addQuantity(cartId: string, variantId: string, quantity: number): Promise<number>;
  setQuantity(cartId: string, itemId: string, quantity: number): Promise<boolean>;
  removeItem(cartId: string, itemId: string): Promise<boolean>;
  /** Attaches an anonymous cart to a customer (fails if they already have an open cart). */
  assignCustomer(storeId: string, cartId: string, customerId: string): Promise<Result<true, 'CONFLICT'>>;
  /** Sets the address of an open cart; false when the cart is no longer open. */
  setShippingAddress(storeId: string, cartId: string, address: ShippingAddress): Promise<boolean>;
  /** Sets (or with null clears) the promo code of an open cart; false when it is no longer open. */
  setPromotionCode(storeId: string, cartId: string, code: string | null): Promise<boolean>;
}

/** Why a promo code does not apply, in data the channels put into words. */
export interface CodeRefusal {
  code: string;
  minSubtotal?: number | undefined;
  at?: Date | undefined;
}

/** Checks a typed promo code against a cart (the promotions module implements it). */
export interface PromotionChecker {
  check(cart: CartRecord, code: string): Promise<{ ok: true; code: string } | { ok: false; refusal: CodeRefusal }>;
}

/**
 * Adjusts cart totals: promotions, shipping and taxes plug in here in their own
 * issues. Each adjuster sees the totals so far and returns the new ones.
 */
export interface TotalsAdjuster {
  readonly name: string;
  adjust(cart: CartRecord, totals: Totals): Promise<Totals> | Totals;
}
