import { createHmac } from 'node:crypto';
import type { OrderRecord } from '../orders/orders.types.ts';
import { safeEqual } from '../shared/ids.ts';
import type { Clock } from '../shared/time.ts';
import type { PaymentEventsService, PaymentOutcome } from './payment-events.service.ts';
import type { PaymentLedger } from './payments.ports.ts';

export type DemoPageState = 'payable' | 'paid' | 'lapsed' | 'closed';

export interface DemoPage {
  order: OrderRecord;
  state: DemoPageState;
  /** Per-order CSRF token the page's forms post back. */
  token: string;
}

export type DemoDecision =
  | { ok: true; order: OrderRecord; outcome: PaymentOutcome }
  | { ok: false; reason: 'NOT_FOUND' | 'BAD_TOKEN' };

/**
 * The embedded default payment step: a page that says plainly that no money
 * moves and lets the shopper approve or decline. Approving goes through the
 * same path as a provider's "payment succeeded", so it is exactly as
 * idempotent; a lapsed order cannot be paid.
 */
export class DemoPayService {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly events: PaymentEventsService,
    /** Key of the per-order CSRF tokens (HMAC of the order id). */
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  token(orderId: string): string {
    return createHmac('sha256', this.secret).update(`demo-pay:${orderId}`).digest('base64url');
  }

  async page(orderId: string): Promise<DemoPage | null> {
    const order = await this.demoOrder(orderId);
    if (!order) return null;
    return { order, state: this.stateOf(order), token: this.token(order.id) };
  }

  async decide(orderId: string, token: string, decision: 'approve' | 'decline'): Promise<DemoDecision> {
    const order = await this.demoOrder(orderId);
    if (!order) return { ok: false, reason: 'NOT_FOUND' };
    if (!safeEqual(token, this.token(order.id))) return { ok: false, reason: 'BAD_TOKEN' };
    const payment = order.payments.find((p) => p.provider === 'demo');
    const providerRef = payment?.providerRef ?? `demo_${order.id}`;
    const outcome =
      decision === 'approve'
        ? await this.events.apply({ kind: 'succeeded', orderId: order.id, provider: 'demo', providerRef, amount: order.total, currency: order.currency }, 'provider:demo', false)
        : await this.events.apply({ kind: 'failed', orderId: order.id, provider: 'demo', providerRef, reason: 'payment declined on the demo page' }, 'provider:demo');
    return { ok: true, order: (await this.ledger.findOrder(order.id)) ?? order, outcome };
  }

  stateOf(order: OrderRecord): DemoPageState {
    if (order.status === 'pending_payment') {
      const lapsed = order.reservedUntil !== null && order.reservedUntil.getTime() <= this.clock.now().getTime();
      return lapsed ? 'lapsed' : 'payable';
    }
    return order.status === 'cancelled' ? 'closed' : 'paid';
  }

  /** Only orders whose payment step is the demo provider can be approved here. */
  private async demoOrder(orderId: string): Promise<OrderRecord | null> {
    const order = await this.ledger.findOrder(orderId);
    return order?.payments.some((p) => p.provider === 'demo') ? order : null;
  }
}
