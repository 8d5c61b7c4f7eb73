import type { OrderService } from '../orders/orders.service.ts';
import type { OrderRecord } from '../orders/orders.types.ts';
import type { Logger } from '../shared/logger.ts';
import type { ProcessedEvents } from '../shared/processed-events.ts';
import type { Clock } from '../shared/time.ts';
import { syncOrderToRefunds } from './refund-state.ts';
import type { PaidOrderSink, PaymentEvent, PaymentLedger, WebhookVerifier } from './payments.ports.ts';

/** What a payment event did, for logs, tests and the pages that show it. */
export type PaymentOutcome =
  | 'paid'
  | 'already_paid'
  | 'paid_after_cancel'
  | 'amount_mismatch'
  | 'lapsed'
  | 'cancelled'
  | 'already_closed'
  | 'stale_session'
  | 'refunds_synced'
  | 'not_paid_yet'
  | 'unknown_order';

export type WebhookResult =
  | { status: 'processed'; type: string; outcome: PaymentOutcome | 'ignored' }
  | { status: 'duplicate'; type: string }
  | { status: 'retry_later'; type: string; outcome: PaymentOutcome }
  | { status: 'bad_request'; message: string };

/**
 * Turns payment events (Stripe webhooks, the demo page) into order changes,
 * exactly once: webhook ids are claimed durably, and every order change is a
 * conditional transition, so a redelivery or a race has no second effect.
 */
export class PaymentEventsService {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly orders: OrderService,
    private readonly processed: ProcessedEvents,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly analytics: PaidOrderSink | null,
  ) {}

  /** An order of any store, for the pages a provider sends the shopper back to. */
  order(orderId: string): Promise<OrderRecord | null> {
    return this.ledger.findOrder(orderId);
  }

  /** Verifies a webhook on its raw body, claims its id, then applies it once. */
  async handleWebhook(verifier: WebhookVerifier, rawBody: string, signature: string | undefined): Promise<WebhookResult> {
    const verified = await verifier.verify(rawBody, signature);
    if (!verified.ok) return { status: 'bad_request', message: verified.message };
    const { eventId, type, event } = verified.value;
    if (!event) return { status: 'processed', type, outcome: 'ignored' };
    if (!(await this.processed.claim(verifier.provider, eventId))) return { status: 'duplicate', type };
    try {
      const outcome = await this.apply(event, `provider:${verifier.provider}`, true);
      if (outcome === 'not_paid_yet') {
        // A refund seen before the payment: give the claim back so the provider's redelivery is handled.
        await this.processed.release(verifier.provider, eventId);
        return { status: 'retry_later', type, outcome };
      }
      this.log.info({ provider: verifier.provider, eventId, type, orderId: event.orderId, outcome }, 'payment event');
      return { status: 'processed', type, outcome };
    } catch (err) {
      await this.processed.release(verifier.provider, eventId);
      throw err;
    }
  }

  /**
   * Applies one event. `moneyMoved`: the provider has already taken the money,
   * so a lapsed-but-still-held order is paid rather than refused.
   */
  async apply(event: PaymentEvent, actor: string, moneyMoved = false): Promise<PaymentOutcome> {
    const order = await this.ledger.findOrder(event.orderId);
    if (!order) {
      this.log.warn({ orderId: event.orderId, kind: event.kind }, 'payment event for an unknown order');
      return 'unknown_order';
    }
    switch (event.kind) {
      case 'succeeded':
        // The address the buyer gave the provider is kept whatever the outcome: the goods may still ship.
        if (event.shippingAddress) await this.ledger.setShippingAddress(order.id, event.shippingAddress);
        return this.succeeded(event.shippingAddress ? { ...order, shippingAddress: event.shippingAddress } : order, event, actor, moneyMoved);
      case 'failed':
        return this.failed(order, event, actor);
      case 'refunds_changed': {
        const payment = order.payments.find((p) => p.provider === event.provider && (p.status === 'succeeded' || p.refunded > 0));
        if (!payment) return 'not_paid_yet';
        const updated = await this.ledger.raiseRefunded(payment.id, Math.min(event.refundedTotal, payment.amount));
        // Refunds made through our own API were counted when asked for; only news from the provider moves the order.
        if (updated.refunded > payment.refunded) await syncOrderToRefunds({ orders: this.orders, ledger: this.ledger, log: this.log }, order, updated, actor);
        return 'refunds_synced';
      }
    }
  }

  private async succeeded(order: OrderRecord, e: Extract<PaymentEvent, { kind: 'succeeded' }>, actor: string, moneyMoved: boolean): Promise<PaymentOutcome> {
    const settle = (status: 'succeeded' | 'failed') =>
      this.ledger.settlePayment(order.id, { provider: e.provider, providerRef: e.providerRef, amount: e.amount, currency: e.currency, status });
    if (order.status !== 'pending_payment') return this.lateSuccess(order, e, actor, moneyMoved, settle);
    if (e.amount !== order.total || e.currency.toUpperCase() !== order.currency.toUpperCase()) {
      await settle('succeeded');
      await this.ledger.flag(order.id, order.status, actor, `payment of ${e.amount} ${e.currency} does not match the order total ${order.total} ${order.currency}: not marked paid; check and refund`);
      this.log.error({ order: order.number, paid: e.amount, total: order.total }, 'payment amount does not match the order');
      return 'amount_mismatch';
    }
    if (!moneyMoved && order.reservedUntil && order.reservedUntil.getTime() <= this.clock.now().getTime()) {
      await this.orders.transition(order.storeId, order.id, 'cancelled', 'system', { note: 'payment window lapsed; reserved stock released' });
      await settle('failed');
      return 'lapsed';
    }
    const moved = await this.orders.transition(order.storeId, order.id, 'paid', actor, { note: `payment ${e.providerRef} succeeded` });
    if (!moved.ok) {
      // Something else moved the order meanwhile (a concurrent event or the sweeper): decide on its new state.
      const now = await this.ledger.findOrder(order.id);
      return now ? this.lateSuccess(now, e, actor, moneyMoved, settle) : 'unknown_order';
    }
    await settle('succeeded');
    this.analytics?.record({ type: 'order_paid', storeId: order.storeId, orderId: order.id, customerId: order.customerId, channel: order.channel });
    return 'paid';
  }

  /** A success for an order that has moved on: never resurrect a cancelled order whose stock went back on sale. */
  private async lateSuccess(
    order: OrderRecord,
    e: Extract<PaymentEvent, { kind: 'succeeded' }>,
    actor: string,
    moneyMoved: boolean,
    settle: (s: 'succeeded') => Promise<unknown>,
  ): Promise<PaymentOutcome> {
    if (order.status === 'pending_payment') return this.succeeded(order, e, actor, moneyMoved);
    const samePayment = order.payments.some((p) => p.providerRef === e.providerRef && p.status === 'succeeded');
    if (order.status !== 'cancelled') {
      if (!samePayment && order.payments.some((p) => p.status === 'succeeded' && p.providerRef !== e.providerRef)) {
        await settle('succeeded');
        await this.ledger.flag(order.id, order.status, actor, `second payment ${e.providerRef} for an order already paid: refund needed`);
        this.log.error({ order: order.number, providerRef: e.providerRef }, 'second payment for a paid order: refund needed');
      }
      return 'already_paid';
    }
    // The demo page moves no money: approving a closed order is simply refused.
    if (!moneyMoved) return 'already_closed';
    await settle('succeeded');
    await this.ledger.flag(order.id, 'cancelled', actor, `payment ${e.providerRef} arrived after the order was cancelled and its stock released: refund needed`);
    this.log.error({ order: order.number, providerRef: e.providerRef }, 'payment for a cancelled order: refund needed');
    return 'paid_after_cancel';
  }

  private async failed(order: OrderRecord, e: Extract<PaymentEvent, { kind: 'failed' }>, actor: string): Promise<PaymentOutcome> {
    if (order.status !== 'pending_payment') return 'already_closed';
    const current = order.payments[0];
    if (current && current.providerRef !== e.providerRef) return 'stale_session';
    const moved = await this.orders.transition(order.storeId, order.id, 'cancelled', actor, { note: `${e.reason}; reserved stock released` });
    if (!moved.ok) return 'already_closed';
    await this.ledger.settlePayment(order.id, { provider: e.provider, providerRef: e.providerRef, amount: order.total, currency: order.currency, status: 'failed' });
    return 'cancelled';
  }
}
