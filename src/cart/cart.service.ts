import type { ProductRepository } from '../catalog/catalog.ports.ts';
import { availableOf, type StoreRecord } from '../catalog/catalog.types.ts';
import { fail, notFound, ok, type Result } from '../shared/errors.ts';
import type { CartRepository, CodeRefusal, PromotionChecker, TotalsAdjuster } from './cart.ports.ts';
import { formatMoney } from '../shared/money.ts';
import { computeTotals } from './cart-totals.ts';
import { MAX_LINE_QUANTITY, type CartRecord, type Totals } from './cart.types.ts';
import { validateShippingAddress, type ShippingAddressInput } from './shipping-address.ts';

export interface CartView {
  cart: CartRecord;
  totals: Totals;
}

/** One cart per customer per store; prices and totals always from the server. */
export class CartService {
  constructor(
    private readonly carts: CartRepository,
    private readonly products: ProductRepository,
    private readonly adjusters: readonly TotalsAdjuster[] = [],
    private readonly promotions: PromotionChecker | null = null,
  ) {}

  /**
   * Applies a promo code: it must give this cart something now, else a
   * PROMOTION_REFUSED with the reason (details.refusal) and the cart unchanged.
   */
  async applyPromotion(storeId: string, cartId: string, code: string): Promise<Result<CartView>> {
    const cart = await this.require(storeId, cartId);
    if (cart.status !== 'open') return fail('CART_CLOSED', 'This cart has already been checked out');
    if (!this.promotions) return fail('PROMOTION_REFUSED', 'This shop has no promo codes', { refusal: { code: 'UNKNOWN_CODE' } });
    const r = await this.promotions.check(cart, code);
    if (!r.ok) return fail('PROMOTION_REFUSED', refusalText(r.refusal, cart.currency), { refusal: r.refusal });
    if (!(await this.carts.setPromotionCode(storeId, cartId, r.code))) return fail('CART_CLOSED', 'This cart has already been checked out');
    return ok(await this.view(storeId, cartId));
  }

  /**
   * Why the cart's promo code gives nothing right now (used up since it was
   * applied, expired, the cart changed), or null when it applies or there is
   * none. Checkout refuses such a cart rather than silently charging the full
   * price the shopper did not agree to.
   */
  async codeRefusal({ cart, totals }: CartView): Promise<CodeRefusal | null> {
    if (!cart.promotionCode || totals.promotion?.code === cart.promotionCode || !this.promotions) return null;
    const r = await this.promotions.check(cart, cart.promotionCode);
    // Applies again by now (a use given back): the shopper still saw the total without it.
    return r.ok ? { code: 'CHANGED' } : r.refusal;
  }

  async removePromotion(storeId: string, cartId: string): Promise<Result<CartView>> {
    const cart = await this.require(storeId, cartId);
    if (cart.status !== 'open' || !(await this.carts.setPromotionCode(storeId, cartId, null))) return fail('CART_CLOSED', 'This cart has already been checked out');
    return ok(await this.view(storeId, cartId));
  }

  open(store: StoreRecord, input: { customerId?: string | null | undefined; channel?: string | null | undefined }): Promise<CartRecord> {
    return this.carts.openFor(store.id, { customerId: input.customerId ?? null, currency: store.currency, channel: input.channel ?? null });
  }

  /** The customer's open cart in this store, or null when they have none (nothing is created: showing a cart writes nothing). */
  current(store: StoreRecord, customerId: string): Promise<CartRecord | null> {
    return this.carts.findOpenFor(store.id, customerId);
  }

  /** The id of the customer's open cart in this store, created if needed (no line loading). */
  openId(store: StoreRecord, input: { customerId: string; channel?: string | null | undefined }): Promise<string> {
    return this.carts.openIdFor(store.id, { customerId: input.customerId, currency: store.currency, channel: input.channel ?? null });
  }

  async view(storeId: string, cartId: string): Promise<CartView> {
    const cart = await this.require(storeId, cartId);
    return { cart, totals: await computeTotals(cart, this.adjusters) };
  }

  totals(cart: CartRecord): Promise<Totals> {
    return computeTotals(cart, this.adjusters);
  }

  async addItem(storeId: string, cartId: string, sku: string, quantity: number): Promise<Result<CartView>> {
    const variant = await this.products.findVariantForSale(storeId, sku);
    const cart = await this.carts.peek(storeId, cartId, variant?.id ?? null);
    if (!cart) throw notFound('Cart');
    if (cart.status !== 'open') return fail('CART_CLOSED', 'This cart has already been checked out');
    if (!variant) return fail('NOT_FOUND', `No product with SKU "${sku}"`);
    if (variant.product.status !== 'active') return fail('PRODUCT_UNAVAILABLE', `"${sku}" is not for sale`);
    const wanted = cart.quantity + quantity;
    if (wanted > MAX_LINE_QUANTITY) return fail('BAD_REQUEST', `At most ${MAX_LINE_QUANTITY} of one item per order`);
    const available = availableOf(variant);
    if (wanted > available) {
      const title = variant.product.title;
      return fail('INSUFFICIENT_STOCK', available === 0 ? `"${title}" is sold out` : `Only ${available} of "${title}" left`, {
        sku,
        available,
        requested: wanted,
      });
    }
    await this.carts.addQuantity(cartId, variant.id, quantity);
    return ok(await this.view(storeId, cartId));
  }

  async setQuantity(storeId: string, cartId: string, itemId: string, quantity: number): Promise<Result<CartView>> {
    const cart = await this.require(storeId, cartId);
    if (cart.status !== 'open') return fail('CART_CLOSED', 'This cart has already been checked out');
    const line = cart.lines.find((l) => l.id === itemId);
    if (!line) return fail('NOT_FOUND', 'Cart item not found');
    if (quantity === 0) {
      await this.carts.removeItem(cart.id, itemId);
      return ok(await this.view(storeId, cart.id));
    }
    if (quantity > MAX_LINE_QUANTITY) return fail('BAD_REQUEST', `At most ${MAX_LINE_QUANTITY} of one item per order`);
    if (quantity > line.quantity && quantity > line.available) {
      return fail('INSUFFICIENT_STOCK', `Only ${line.available} of "${line.productTitle}" left`, {
        sku: line.sku,
        available: line.available,
        requested: quantity,
      });
    }
    await this.carts.setQuantity(cart.id, itemId, quantity);
    return ok(await this.view(storeId, cart.id));
  }

  async removeItem(storeId: string, cartId: string, itemId: string): Promise<Result<CartView>> {
    const cart = await this.require(storeId, cartId);
    if (cart.status !== 'open') return fail('CART_CLOSED', 'This cart has already been checked out');
    if (!(await this.carts.removeItem(cart.id, itemId))) return fail('NOT_FOUND', 'Cart item not found');
    return ok(await this.view(storeId, cart.id));
  }

  /**
   * Where the order ships: checked field by field (VALIDATION_FAILED names
   * every bad field in details.issues), normalised, kept on the open cart and
   * copied onto the order at checkout.
   */
  async setShippingAddress(storeId: string, cartId: string, address: ShippingAddressInput): Promise<Result<CartView>> {
    const valid = validateShippingAddress(address);
    if (!valid.ok) return valid;
    const cart = await this.carts.peek(storeId, cartId, null);
    if (!cart) return fail('NOT_FOUND', 'Cart not found');
    if (cart.status !== 'open' || !(await this.carts.setShippingAddress(storeId, cartId, valid.value))) {
      return fail('CART_CLOSED', 'This cart has already been checked out; the address can no longer change');
    }
    return ok(await this.view(storeId, cartId));
  }

  private async require(storeId: string, cartId: string): Promise<CartRecord> {
    const cart = await this.carts.get(storeId, cartId);
    if (!cart) throw notFound('Cart');
    return cart;
  }
}

/** The reason a code was refused, in English for the REST API (chats word it in the shopper's language). */
export function refusalText(r: CodeRefusal, currency: string): string {
  switch (r.code) {
    case 'UNKNOWN_CODE': return 'There is no such code';
    case 'INACTIVE': return 'This code is no longer active';
    case 'NOT_STARTED': return `This code starts on ${r.at?.toISOString().slice(0, 10) ?? 'a later date'}`;
    case 'EXPIRED': return 'This code has expired';
    case 'MIN_SUBTOTAL': return `This code needs a minimum of ${formatMoney({ amount: r.minSubtotal ?? 0, currency })} of eligible items`;
    case 'FIRST_ORDER_ONLY': return 'This code is for a first order only';
    case 'SIGN_IN_REQUIRED': return 'This code is for known customers; use it from the chat you shop in';
    case 'USAGE_LIMIT':
    case 'BUDGET_SPENT': return 'This code has been used up';
    case 'CUSTOMER_LIMIT': return 'You have already used this code';
    case 'CURRENCY': return 'This code is for another currency';
    case 'CHANGED': return 'The discount changed since you saw the total; look at the cart again';
    default: return 'This code does not apply to the items in your cart';
  }
}
