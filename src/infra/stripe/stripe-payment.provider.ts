import type Stripe from 'stripe';
import { taxIsIncluded } from '../../cart/cart-totals.ts';
import type { PaymentSession } from '../../checkout/checkout.ports.ts';
import type { OrderRecord, PaymentRecord } from '../../orders/orders.types.ts';
import type { SessionProvider } from '../../payments/hold-aligned-provider.ts';
import type { RefundGateway } from '../../payments/payments.ports.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { describeStripeError } from './stripe-client.ts';

type LineItem = Stripe.Checkout.SessionCreateParams.LineItem;
export type ShippingCountry = Stripe.Checkout.SessionCreateParams.ShippingAddressCollection.AllowedCountry;

export interface StripeProviderOptions {
  publicUrl: string;
  /** Where Checkout may ship to, when the order holds physical goods. */
  shippingCountries: ShippingCountry[];
}

const UNAVAILABLE = 'Card payments are unavailable right now; please try again in a moment';

/**
 * Stripe Checkout Sessions and refunds. Errors come back as values
 * (SERVICE_UNAVAILABLE), never thrown at the shopper; every write carries an
 * Idempotency-Key derived from the order, so a retried request reuses the
 * session or refund Stripe already made.
 */
export class StripePaymentProvider implements SessionProvider, RefundGateway {
  readonly name = 'stripe';
  /** Stripe refuses a Checkout Session that expires sooner than 30 minutes after creation. */
  readonly minSessionSeconds = 30 * 60;

  constructor(
    private readonly stripe: Stripe,
    private readonly goods: { hasPhysicalGoods(orderId: string): Promise<boolean> },
    private readonly opts: StripeProviderOptions,
    private readonly log: Logger,
  ) {}

  async createSession(order: OrderRecord): Promise<Result<PaymentSession, 'SERVICE_UNAVAILABLE'>> {
    const expiresAt = order.reservedUntil ? Math.floor(order.reservedUntil.getTime() / 1000) : undefined;
    const back = `${this.opts.publicUrl}/pay/return/${encodeURIComponent(order.id)}`;
    try {
      const physical = await this.goods.hasPhysicalGoods(order.id);
      const params: Stripe.Checkout.SessionCreateParams = {
        mode: 'payment',
        line_items: lineItems(order),
        client_reference_id: order.id,
        metadata: { order_id: order.id, order_number: String(order.number), store_id: order.storeId },
        // Charges carry the order too, so charge.refunded finds it without a lookup.
        payment_intent_data: { metadata: { order_id: order.id, order_number: String(order.number) } },
        success_url: `${back}?result=success&session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${back}?result=cancel`,
        ...(expiresAt !== undefined && { expires_at: expiresAt }),
        ...(order.email && { customer_email: order.email }),
        ...(physical && { shipping_address_collection: { allowed_countries: this.opts.shippingCountries }, phone_number_collection: { enabled: true } }),
      };
      // The key covers the parameters that can change between attempts (the hold's end), so a
      // retry with the same parameters gets the same session and never an idempotency error.
      const session = await this.stripe.checkout.sessions.create(params, { idempotencyKey: `chatshop-session-${order.id}-${expiresAt ?? 'none'}` });
      if (!session.url) return fail('SERVICE_UNAVAILABLE', UNAVAILABLE);
      return ok({ provider: this.name, url: session.url, providerRef: session.id });
    } catch (err) {
      this.log.warn({ stripe: describeStripeError(err), order: order.number }, 'stripe checkout session not created');
      return fail('SERVICE_UNAVAILABLE', UNAVAILABLE);
    }
  }

  async refund(order: OrderRecord, payment: PaymentRecord, amount: number, idempotencyKey: string): Promise<Result<{ providerRef: string }, 'SERVICE_UNAVAILABLE'>> {
    try {
      if (!payment.providerRef) return fail('SERVICE_UNAVAILABLE', 'the payment has no Stripe reference');
      const session = await this.stripe.checkout.sessions.retrieve(payment.providerRef);
      const intent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
      if (!intent) return fail('SERVICE_UNAVAILABLE', 'Stripe shows no payment for this order');
      const refund = await this.stripe.refunds.create(
        { payment_intent: intent, amount, metadata: { order_id: order.id, order_number: String(order.number) } },
        { idempotencyKey },
      );
      if (refund.status === 'failed' || refund.status === 'canceled') return fail('SERVICE_UNAVAILABLE', `Stripe reports the refund ${refund.status}`);
      return ok({ providerRef: refund.id });
    } catch (err) {
      this.log.warn({ stripe: describeStripeError(err), order: order.number }, 'stripe refund not made');
      return fail('SERVICE_UNAVAILABLE', 'Stripe could not be reached');
    }
  }
}

/**
 * The order's lines in minor units, plus shipping and tax lines. When a
 * discount makes the lines differ from the server's total, one line for the
 * whole order is sent instead, so Stripe always charges exactly order.total.
 */
export function lineItems(order: OrderRecord): LineItem[] {
  const currency = order.currency.toLowerCase();
  const line = (name: string, unitAmount: number, quantity: number, description?: string): LineItem => ({
    quantity,
    price_data: { currency, unit_amount: unitAmount, product_data: { name: name.slice(0, 250), ...(description && { description: description.slice(0, 500) }) } },
  });
  const lines = order.items.map((i) => line(i.variantTitle ? `${i.title} — ${i.variantTitle}` : i.title, i.unitPrice, i.quantity));
  if (order.shippingTotal > 0) lines.push(line('Shipping', order.shippingTotal, 1));
  // Inclusive tax is already inside the prices: a line of its own would charge it twice.
  if (order.taxTotal > 0 && !taxIsIncluded(order)) lines.push(line('Tax', order.taxTotal, 1));
  const sum = lines.reduce((s, l) => s + (l.price_data?.unit_amount ?? 0) * (l.quantity ?? 1), 0);
  if (sum === order.total) return lines;
  const summary = order.items.map((i) => `${i.quantity} × ${i.title}`).join(', ');
  return [line(`Order #${order.number}`, order.total, 1, summary)];
}
