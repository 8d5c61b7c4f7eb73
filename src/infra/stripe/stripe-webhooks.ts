import type Stripe from 'stripe';
import type { PaymentEvent, WebhookVerifier } from '../../payments/payments.ports.ts';
import { fail, ok } from '../../shared/errors.ts';
import { providerAddress, type ShippingAddress } from '../../cart/shipping-address.ts';

/** Stripe's own default: a signed event older than this is refused (replay protection). */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Verifies Stripe webhooks on the raw body (signature and timestamp
 * tolerance) and turns the events we act on into domain payment events.
 */
export class StripeWebhookVerifier implements WebhookVerifier {
  readonly provider = 'stripe';

  constructor(
    private readonly stripe: Stripe,
    private readonly secret: string,
    private readonly toleranceSeconds = STRIPE_WEBHOOK_TOLERANCE_SECONDS,
  ) {}

  async verify(rawBody: string, signature: string | undefined) {
    if (!signature) return fail('BAD_REQUEST', 'Missing Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.secret, this.toleranceSeconds);
    } catch {
      return fail('BAD_REQUEST', 'The Stripe-Signature header does not match this body, or it is too old');
    }
    return ok({ eventId: event.id, type: event.type, event: await this.translate(event) });
  }

  private async translate(event: Stripe.Event): Promise<PaymentEvent | null> {
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        const s = event.data.object;
        // "unpaid" completions (bank debits and other async methods) wait for async_payment_succeeded.
        if (s.payment_status !== 'paid') return null;
        const orderId = orderOf(s);
        if (!orderId) return null;
        return {
          kind: 'succeeded',
          orderId,
          provider: 'stripe',
          providerRef: s.id,
          amount: s.amount_total ?? 0,
          currency: (s.currency ?? '').toUpperCase(),
          shippingAddress: shippingOf(s),
        };
      }
      case 'checkout.session.expired':
      case 'checkout.session.async_payment_failed': {
        const s = event.data.object;
        const orderId = orderOf(s);
        if (!orderId) return null;
        const reason = event.type === 'checkout.session.expired' ? 'Stripe Checkout session expired unpaid' : 'payment failed at Stripe';
        return { kind: 'failed', orderId, provider: 'stripe', providerRef: s.id, reason };
      }
      case 'charge.refunded': {
        const charge = event.data.object;
        const intent = typeof charge.payment_intent === 'string' ? charge.payment_intent : (charge.payment_intent?.id ?? null);
        const orderId = charge.metadata.order_id ?? (intent ? await this.orderOfIntent(intent) : null);
        if (!orderId) return null;
        return { kind: 'refunds_changed', orderId, provider: 'stripe', refundedTotal: charge.amount_refunded };
      }
      default:
        return null;
    }
  }

  /** A charge without our metadata (made before it was set): find its Checkout Session. */
  private async orderOfIntent(intent: string): Promise<string | null> {
    const sessions = await this.stripe.checkout.sessions.list({ payment_intent: intent, limit: 1 });
    const s = sessions.data[0];
    return s ? orderOf(s) : null;
  }
}

/**
 * The address Stripe Checkout collected: collected_information.shipping_details
 * (API 2025-03-31 and later) or the older top-level shipping_details; the phone
 * from customer_details.
 */
export function shippingOf(s: Stripe.Checkout.Session): ShippingAddress | null {
  const legacy = (s as unknown as { shipping_details?: { name?: string | null; address?: Stripe.Address | null } | null }).shipping_details;
  const details = s.collected_information?.shipping_details ?? legacy ?? null;
  const a = details?.address;
  if (!details || !a) return null;
  return providerAddress({
    name: details.name,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    state: a.state,
    postalCode: a.postal_code,
    country: a.country,
    phone: s.customer_details?.phone,
  });
}

function orderOf(s: Stripe.Checkout.Session): string | null {
  return s.metadata?.order_id ?? s.client_reference_id ?? null;
}
