import type { PaymentProvider, PaymentSession } from '../checkout/checkout.ports.ts';
import type { OrderRecord } from '../orders/orders.types.ts';
import { fail, type Result } from '../shared/errors.ts';
import type { Clock } from '../shared/time.ts';
import type { PaymentLedger } from './payments.ports.ts';

/** A provider whose payment sessions cannot live shorter than some minimum (Stripe Checkout: 30 minutes). */
export interface SessionProvider extends PaymentProvider {
  readonly minSessionSeconds: number;
}

/** Slack on top of the provider's minimum, for the time the request takes. */
const MARGIN_MS = 60_000;

/**
 * Keeps the stock hold and the payment session ending together. When the
 * store's hold is shorter than the provider allows a session to be, the hold
 * is extended to the session's life (once, before the session is created),
 * so a shopper who pays in time never pays for stock that went back on sale.
 * A lapsed order gets no session.
 */
export class HoldAlignedProvider implements PaymentProvider {
  readonly name: string;
  constructor(
    private readonly inner: SessionProvider,
    private readonly ledger: PaymentLedger,
    private readonly clock: Clock,
  ) {
    this.name = inner.name;
  }

  async createSession(order: OrderRecord): Promise<Result<PaymentSession, 'SERVICE_UNAVAILABLE'>> {
    const now = this.clock.now();
    const needed = now.getTime() + this.inner.minSessionSeconds * 1000 + MARGIN_MS;
    if (order.status !== 'pending_payment' || !order.reservedUntil) return fail('SERVICE_UNAVAILABLE', 'This order is not awaiting payment');
    if (order.reservedUntil.getTime() < needed) {
      const until = new Date(Math.ceil(needed / 1000) * 1000);
      if (!(await this.ledger.extendHold(order.id, until, now))) {
        return fail('SERVICE_UNAVAILABLE', 'The payment window of this order has closed; check out again');
      }
      return this.inner.createSession({ ...order, reservedUntil: until });
    }
    return this.inner.createSession(order);
  }
}
