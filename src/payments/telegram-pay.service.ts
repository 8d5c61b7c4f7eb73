import { createHmac } from 'node:crypto';
import type { ShippingAddress } from '../cart/shipping-address.ts';
import type { OrderRecord } from '../orders/orders.types.ts';
import { safeEqual } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import type { ProcessedEvents } from '../shared/processed-events.ts';
import type { Clock } from '../shared/time.ts';
import type { PaymentEventsService, PaymentOutcome } from './payment-events.service.ts';
import type { PaymentLedger } from './payments.ports.ts';

/** Why a pre-checkout query is refused. */
export type PreCheckoutRefusal = 'bad_payload' | 'unknown_order' | 'not_payable' | 'lapsed' | 'amount_mismatch';

export type PreCheckoutVerdict = { ok: true; order: OrderRecord } | { ok: false; reason: PreCheckoutRefusal };

export type TelegramPaidResult =
  | { status: 'processed'; outcome: PaymentOutcome; order: OrderRecord | null }
  | { status: 'duplicate' }
  | { status: 'bad_payload' };

export interface TelegramCharge {
  payload: string;
  totalAmount: number;
  currency: string;
  /** telegram_payment_charge_id: the payment's reference, one effect per id. */
  chargeId: string;
  /** provider_payment_charge_id (e.g. the Stripe charge), logged for refunds made at the provider. */
  providerChargeId: string;
  /** successful_payment.order_info.shipping_address, when the invoice asked for one. */
  shippingAddress?: ShippingAddress | null | undefined;
}

/** The claim namespace of successful_payment charge ids in ProcessedEvents. */
export const TELEGRAM_PAYMENT_EVENTS = 'telegram-payment';

/** How long a confirmed pre-checkout keeps the order's stock held while Telegram takes the money. */
const PAYING_HOLD_MS = 2 * 60_000;

const PAYLOAD = /^o:([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_-]{22})$/;

/**
 * Native Telegram invoices (Telegram Payments): a tamper-evident payload per
 * order, the pre-checkout re-check, and successful_payment applied once per
 * telegram_payment_charge_id through the same path as a Stripe webhook —
 * money has moved, so a cancelled order is flagged for refund, never revived.
 */
export class TelegramPayService {
  readonly provider = 'telegram';

  constructor(
    private readonly ledger: PaymentLedger,
    private readonly events: PaymentEventsService,
    private readonly processed: ProcessedEvents,
    /** Key of the payload MACs. */
    private readonly secret: string,
    /** TELEGRAM_PAYMENT_PROVIDER_TOKEN, passed to sendInvoice. */
    readonly providerToken: string,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** `o:<orderId>:<mac>` — well under Telegram's 128 bytes. */
  payload(orderId: string): string {
    return `o:${orderId}:${this.mac(orderId)}`;
  }

  /** The order id of a payload this service made, else null. */
  orderIdOf(payload: string): string | null {
    const m = PAYLOAD.exec(payload);
    if (!m?.[1] || !m[2]) return null;
    return safeEqual(m[2], this.mac(m[1])) ? m[1] : null;
  }

  /**
   * The re-check before Telegram charges: a genuine payload, an order still
   * awaiting payment whose hold has not lapsed, and exactly its total and
   * currency. A passing order's hold is stretched to cover the payment itself.
   */
  async preCheckout(q: { payload: string; totalAmount: number; currency: string }): Promise<PreCheckoutVerdict> {
    const orderId = this.orderIdOf(q.payload);
    if (!orderId) return { ok: false, reason: 'bad_payload' };
    const order = await this.ledger.findOrder(orderId);
    if (!order) return { ok: false, reason: 'unknown_order' };
    if (order.status !== 'pending_payment') return { ok: false, reason: 'not_payable' };
    const now = this.clock.now();
    if (order.reservedUntil && order.reservedUntil.getTime() <= now.getTime()) return { ok: false, reason: 'lapsed' };
    if (q.totalAmount !== order.total || q.currency.toUpperCase() !== order.currency.toUpperCase()) {
      this.log.warn({ order: order.number, asked: q.totalAmount, currency: q.currency, total: order.total }, 'telegram pre-checkout amount does not match the order');
      return { ok: false, reason: 'amount_mismatch' };
    }
    const until = new Date(now.getTime() + PAYING_HOLD_MS);
    if (order.reservedUntil && order.reservedUntil.getTime() < until.getTime() && !(await this.ledger.extendHold(order.id, until, now))) {
      return { ok: false, reason: 'lapsed' };
    }
    return { ok: true, order };
  }

  /** A successful_payment: claimed by charge id, then applied as a provider's "payment succeeded". */
  async paid(c: TelegramCharge): Promise<TelegramPaidResult> {
    const orderId = this.orderIdOf(c.payload);
    if (!orderId) {
      this.log.error({ chargeId: c.chargeId, providerChargeId: c.providerChargeId, amount: c.totalAmount, currency: c.currency }, 'telegram payment with an unknown payload: refund needed');
      return { status: 'bad_payload' };
    }
    if (!(await this.processed.claim(TELEGRAM_PAYMENT_EVENTS, c.chargeId))) return { status: 'duplicate' };
    let outcome: PaymentOutcome;
    try {
      outcome = await this.events.apply(
        { kind: 'succeeded', orderId, provider: this.provider, providerRef: c.chargeId, amount: c.totalAmount, currency: c.currency, shippingAddress: c.shippingAddress },
        `provider:${this.provider}`,
        true,
      );
    } catch (err) {
      await this.processed.release(TELEGRAM_PAYMENT_EVENTS, c.chargeId);
      throw err;
    }
    const level = outcome === 'paid' || outcome === 'already_paid' ? 'info' : 'error';
    this.log[level]({ orderId, chargeId: c.chargeId, providerChargeId: c.providerChargeId, outcome }, 'telegram payment');
    return { status: 'processed', outcome, order: await this.ledger.findOrder(orderId) };
  }

  private mac(orderId: string): string {
    return createHmac('sha256', this.secret).update(`tg-invoice:${orderId}`).digest('base64url').slice(0, 22);
  }
}
