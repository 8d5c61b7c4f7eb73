import { createHmac, randomBytes } from 'node:crypto';
import type { PaymentProvider } from '../../checkout/checkout.ports.ts';
import { DemoPaymentProvider } from '../../checkout/demo-payment.provider.ts';
import type { Config } from '../../config/env.ts';
import type { OrderService } from '../../orders/orders.service.ts';
import { demoRefunds } from '../../payments/demo-refunds.ts';
import { DemoPayService } from '../../payments/demo-pay.service.ts';
import { HoldAlignedProvider } from '../../payments/hold-aligned-provider.ts';
import { PaymentEventsService } from '../../payments/payment-events.service.ts';
import type { PaidOrderSink, RefundGateway, WebhookVerifier } from '../../payments/payments.ports.ts';
import { RefundService } from '../../payments/refund.service.ts';
import { TelegramPayService } from '../../payments/telegram-pay.service.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Clock } from '../../shared/time.ts';
import type { Db } from '../db/client.ts';
import { PrismaPaymentLedger } from '../prisma/payment-ledger.repository.ts';
import { PrismaProcessedEvents } from '../prisma/processed-events.repository.ts';
import { createStripeClient } from '../stripe/stripe-client.ts';
import { StripePaymentProvider, type ShippingCountry } from '../stripe/stripe-payment.provider.ts';
import { StripeWebhookVerifier } from '../stripe/stripe-webhooks.ts';

export interface Payments {
  /** What checkout asks for a payment step: Stripe when STRIPE_SECRET_KEY is set, else the demo page. */
  provider: PaymentProvider;
  events: PaymentEventsService;
  refunds: RefundService;
  /** The demo page's logic; null when a real provider is configured (the page then answers 404). */
  demo: DemoPayService | null;
  /** Verifies POST /webhooks/stripe; null without Stripe keys. */
  stripeWebhooks: WebhookVerifier | null;
  /** Native Telegram invoices; null without TELEGRAM_PAYMENT_PROVIDER_TOKEN. */
  telegram: TelegramPayService | null;
}

export interface PaymentsDeps {
  config: Config;
  db: Db;
  orders: OrderService;
  clock: Clock;
  log: Logger;
  analytics: PaidOrderSink | null;
}

/** Builds the payment provider (the Stripe client once) and the payments module's services. */
export function createPayments({ config, db, orders, clock, log, analytics }: PaymentsDeps): Payments {
  const ledger = new PrismaPaymentLedger(db);
  const events = new PaymentEventsService(ledger, orders, new PrismaProcessedEvents(db), clock, log, analytics);
  const gateways = new Map<string, RefundGateway>([['demo', demoRefunds]]);
  const telegram = telegramPay(config, ledger, events, db, clock, log);
  if (config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET) {
    const client = createStripeClient(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE);
    const countries = config.STRIPE_SHIPPING_COUNTRIES as ShippingCountry[];
    const stripe = new StripePaymentProvider(client, ledger, { publicUrl: config.publicUrl, shippingCountries: countries }, log);
    gateways.set('stripe', stripe);
    return {
      provider: new HoldAlignedProvider(stripe, ledger, clock),
      events,
      refunds: new RefundService(ledger, orders, gateways, log),
      demo: null,
      stripeWebhooks: new StripeWebhookVerifier(client, config.STRIPE_WEBHOOK_SECRET),
      telegram,
    };
  }
  return {
    provider: new DemoPaymentProvider(config.publicUrl),
    events,
    refunds: new RefundService(ledger, orders, gateways, log),
    demo: new DemoPayService(ledger, events, demoSecret(config), clock),
    stripeWebhooks: null,
    telegram,
  };
}

/** Telegram invoices when a payment provider token is set; payload MACs keyed from that token (every instance agrees). */
function telegramPay(config: Config, ledger: PrismaPaymentLedger, events: PaymentEventsService, db: Db, clock: Clock, log: Logger): TelegramPayService | null {
  const token = config.TELEGRAM_PAYMENT_PROVIDER_TOKEN;
  if (!token) return null;
  const secret = createHmac('sha256', token).update('chatshop telegram invoice payload').digest('hex');
  return new TelegramPayService(ledger, events, new PrismaProcessedEvents(db), secret, token, clock, log);
}

/**
 * Key of the demo page's CSRF tokens: derived from ADMIN_TOKEN when set (so
 * every instance agrees), else random per process (one embedded instance).
 */
function demoSecret(config: Config): string {
  return config.ADMIN_TOKEN ? createHmac('sha256', config.ADMIN_TOKEN).update('chatshop demo-pay csrf').digest('hex') : randomBytes(32).toString('hex');
}
