import type { ShippingAddress } from './shipping-address.ts';

export const MAX_LINE_QUANTITY = 999;

export interface CartLine {
  id: string;
  variantId: string;
  productId: string;
  productSlug: string;
  productTitle: string;
  productStatus: string;
  /** For promotions scoped to a category. */
  categoryId: string | null;
  sku: string;
  variantTitle: string;
  imageUrl: string | null;
  quantity: number;
  unitPrice: number;
  currency: string;
  /** Units still available to buy right now (stock minus reservations). */
  available: number;
  /** For bundles: the stocked parts and how many of each one unit needs. */
  bundleParts: { variantId: string; quantity: number }[] | null;
  /** Weight of one unit; 0 marks a digital item (ships nothing), null an unweighed physical one. */
  weightGrams: number | null;
}

export interface CartRecord {
  id: string;
  storeId: string;
  customerId: string | null;
  status: 'open' | 'converted' | 'abandoned';
  currency: string;
  channel: string | null;
  /** Where to ship; copied onto the order at checkout. */
  shippingAddress: ShippingAddress | null;
  /** The promo code the shopper applied; priced again at every total (it may have expired since). */
  promotionCode: string | null;
  createdAt: Date;
  updatedAt: Date;
  lines: CartLine[];
}

export interface Totals {
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  total: number;
  currency: string;
  /**
   * True when taxTotal is already contained in the prices (inclusive tax): it is
   * reported but not added, so total = subtotal − discount + shipping (+ tax only when false).
   */
  taxIncluded: boolean;
  /** The promo code that gave `discountTotal` (or free shipping), when one applies right now. */
  promotion?: { code: string; freeShipping: boolean; automatic?: boolean | undefined } | undefined;
}
