import { refusalText, type CartService } from '../cart/cart.service.ts';
import type { CartLine } from '../cart/cart.types.ts';
import type { StoreRecord } from '../catalog/catalog.types.ts';
import type { OrderService } from '../orders/orders.service.ts';
import type { OrderRecord, PaymentRecord } from '../orders/orders.types.ts';
import { fail, ok, type Result } from '../shared/errors.ts';
import { sha256Hex } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import { multiply } from '../shared/money.ts';
import type { Clock } from '../shared/time.ts';
import type { CheckoutRepository, OrderDraft, PaymentProvider } from './checkout.ports.ts';

export interface CheckoutInput {
  idempotencyKey: string;
  channel?: string | undefined;
  email?: string | undefined;
}

export interface CheckoutResult {
  order: OrderRecord;
  payment: PaymentRecord | null;
  /** True when this key had already been used: nothing new was created. */
  replayed: boolean;
}

/**
 * Turns a cart into an order in pending_payment with its stock held until
 * reservedUntil, exactly once per idempotency key (Medusa's complete-cart:
 * every hold is undone together if any line cannot be held).
 */
export class CheckoutService {
  constructor(
    private readonly repo: CheckoutRepository,
    private readonly carts: CartService,
    private readonly orders: OrderService,
    private readonly payments: PaymentProvider,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async checkout(store: StoreRecord, cartId: string, input: CheckoutInput): Promise<Result<CheckoutResult>> {
    const requestHash = sha256Hex(JSON.stringify([cartId, input.channel ?? null, input.email ?? null]));
    const previous = await this.repo.findByIdempotencyKey(store.id, input.idempotencyKey);
    if (previous) return this.replay(previous, requestHash);

    const { cart, totals } = await this.carts.view(store.id, cartId);
    if (cart.status !== 'open') return fail('CART_CLOSED', 'This cart has already been checked out');
    if (cart.lines.length === 0) return fail('CART_EMPTY', 'The cart is empty');
    const unavailable = cart.lines.find((l) => l.productStatus !== 'active');
    if (unavailable) return fail('PRODUCT_UNAVAILABLE', `"${unavailable.productTitle}" is no longer for sale; remove it to continue`, { sku: unavailable.sku });
    const refusal = await this.carts.codeRefusal({ cart, totals });
    if (refusal) {
      return fail('PROMOTION_REFUSED', `The code ${cart.promotionCode ?? ''} cannot be used: ${refusalText(refusal, cart.currency)}; remove it to check out without it`, { code: cart.promotionCode, refusal });
    }

    const draft: OrderDraft = {
      storeId: store.id,
      cartId: cart.id,
      customerId: cart.customerId,
      channel: input.channel ?? cart.channel ?? 'api',
      email: input.email ?? null,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      ...totals,
      reservedUntil: new Date(this.clock.now().getTime() + store.reservationTtlSeconds * 1000),
      shippingAddress: cart.shippingAddress,
      promotionCode: totals.promotion?.code ?? null,
      items: cart.lines.map((l) => ({
        variantId: l.variantId,
        sku: l.sku,
        title: l.productTitle,
        variantTitle: l.variantTitle,
        unitPrice: l.unitPrice,
        quantity: l.quantity,
        lineTotal: multiply(l.unitPrice, l.quantity),
      })),
      holds: holdsFor(cart.lines),
    };

    let placed = await this.repo.placeOrder(draft);
    if (!placed.ok && placed.code === 'INSUFFICIENT_STOCK' && (await this.orders.releaseLapsed()) > 0) {
      // Stock held by lapsed orders went back on sale: one more try.
      placed = await this.repo.placeOrder(draft);
    }
    if (!placed.ok) {
      switch (placed.code) {
        case 'DUPLICATE':
          return this.replay(placed.order, requestHash);
        case 'CART_CLOSED':
          return fail('CART_CLOSED', 'This cart has already been checked out');
        case 'PROMOTION_REFUSED':
          return fail('PROMOTION_REFUSED', `The code ${totals.promotion?.code ?? ''} was just used up; remove it to check out without it`, { code: totals.promotion?.code, refusal: { code: 'USAGE_LIMIT' } });
        case 'INSUFFICIENT_STOCK': {
          const line = cart.lines.find((l) => l.sku === placed.sku);
          return fail('INSUFFICIENT_STOCK', `Not enough stock left for "${line?.productTitle ?? placed.sku}"`, { sku: placed.sku });
        }
      }
    }
    this.log.info({ order: placed.order.number, storeId: store.id, total: placed.order.total }, 'order placed');
    const payment = await this.startPayment(placed.order);
    return ok({ order: placed.order, payment, replayed: false });
  }

  private async replay(order: OrderRecord, requestHash: string): Promise<Result<CheckoutResult>> {
    if (order.requestHash !== requestHash) {
      return fail('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different checkout');
    }
    const payment = order.payments[0] ?? (order.status === 'pending_payment' ? await this.startPayment(order) : null);
    return ok({ order, payment, replayed: true });
  }

  /** A payment provider that is down leaves the order pending; retrying the same key asks again. */
  private async startPayment(order: OrderRecord): Promise<PaymentRecord | null> {
    const session = await this.payments.createSession(order);
    if (!session.ok) {
      this.log.warn({ order: order.number, provider: this.payments.name }, 'payment session could not be created');
      return null;
    }
    return this.repo.recordPayment(order.id, {
      provider: session.value.provider,
      providerRef: session.value.providerRef,
      amount: order.total,
      currency: order.currency,
      url: session.value.url,
    });
  }
}

/** Stocked variants to hold for these lines: bundles expand into their parts, same variants merge. */
export function holdsFor(lines: readonly CartLine[]): OrderDraft['holds'] {
  const holds = new Map<string, { variantId: string; sku: string; quantity: number }>();
  const add = (variantId: string, sku: string, quantity: number) => {
    const h = holds.get(variantId);
    if (h) h.quantity += quantity;
    else holds.set(variantId, { variantId, sku, quantity });
  };
  for (const l of lines) {
    if (l.bundleParts) for (const p of l.bundleParts) add(p.variantId, l.sku, p.quantity * l.quantity);
    else add(l.variantId, l.sku, l.quantity);
  }
  // A stable order keeps concurrent checkouts from deadlocking on PostgreSQL.
  return [...holds.values()].sort((a, b) => a.variantId.localeCompare(b.variantId));
}
