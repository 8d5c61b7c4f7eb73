import { type Composer } from 'grammy';
import type { OrderInfo } from 'grammy/types';
import { providerAddress, type ShippingAddress } from '../../src/cart/shipping-address.ts';
import { resolveLocale, type Locale } from '../../src/conversation/i18n/i18n.ts';
import type { PreCheckoutVerdict, TelegramPayService } from '../../src/payments/telegram-pay.service.ts';
import { invoiceText } from './invoice-text.ts';
import { translatorFor } from './locale.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';
import { ShopComposer } from './shop-composer.ts';

/** Telegram drops a pre-checkout query not answered within 10 s: the check gets this long, the answer the rest. */
export const PRE_CHECKOUT_CHECK_MS = 5_000;
const PRE_CHECKOUT_ANSWER_BY_MS = 9_000;

type Checked = { verdict: PreCheckoutVerdict; locale: Locale } | 'busy';
/** grammY types its signal with the abort-controller shim; Node's own AbortSignal is what it passes to fetch. */
type CallSignal = Parameters<ShopContext['answerPreCheckoutQuery']>[2];

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | 'busy'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'busy'>((resolve) => {
    timer = setTimeout(() => resolve('busy'), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The shipping address Telegram collected with the payment (need_shipping_address), if any. */
export function addressOf(info: OrderInfo | undefined): ShippingAddress | null {
  const a = info?.shipping_address;
  if (!a) return null;
  const line1 = a.street_line1;
  return providerAddress({ name: info.name, line1, line2: a.street_line2, city: a.city, state: a.state, postalCode: a.post_code, country: a.country_code, phone: info.phone_number });
}

/**
 * Telegram Payments: the pre-checkout re-check (answered within Telegram's
 * 10 seconds, refusals in the shopper's language) and successful_payment,
 * applied once per charge id, confirmed to the buyer.
 */
export function paymentsComposer(deps: TelegramDeps, shop: ShopRef, pay: TelegramPayService): Composer<ShopContext> {
  const c = new ShopComposer();

  c.on('pre_checkout_query', async (ctx) => {
    const started = Date.now();
    const q = ctx.preCheckoutQuery;
    const check = async () => ({
      verdict: await pay.preCheckout({ payload: q.invoice_payload, totalAmount: q.total_amount, currency: q.currency }),
      locale: (await translatorFor(shop, q.from.language_code)).locale,
    });
    const checked: Checked = await withDeadline(check(), PRE_CHECKOUT_CHECK_MS).catch((err: unknown) => {
      deps.log.error({ err, query: q.id }, 'telegram pre-checkout check failed');
      return 'busy' as const;
    });
    ctx.turn.committed = true;
    const locale = checked === 'busy' ? resolveLocale(q.from.language_code, 'en') : checked.locale;
    const refusal = checked === 'busy' ? 'busy' : checked.verdict.ok ? null : checked.verdict.reason;
    if (refusal) deps.log.info({ query: q.id, reason: refusal }, 'telegram pre-checkout refused');
    // One bounded attempt: a late answer is worthless to Telegram.
    const signal = AbortSignal.timeout(Math.max(500, PRE_CHECKOUT_ANSWER_BY_MS - (Date.now() - started))) as unknown as CallSignal;
    await ctx.answerPreCheckoutQuery(refusal === null, refusal === null ? undefined : { error_message: invoiceText(locale).refusal[refusal] }, signal);
  });

  c.on('message:successful_payment', async (ctx) => {
    const p = ctx.message.successful_payment;
    const r = await pay.paid({
      payload: p.invoice_payload,
      totalAmount: p.total_amount,
      currency: p.currency,
      chargeId: p.telegram_payment_charge_id,
      providerChargeId: p.provider_payment_charge_id,
      shippingAddress: addressOf(p.order_info),
    });
    ctx.turn.committed = true;
    if (r.status === 'duplicate') return;
    const text = invoiceText((await translatorFor(shop, ctx.from?.language_code)).locale);
    const n = r.status === 'processed' ? r.order?.number : undefined;
    if (r.status !== 'processed' || n === undefined) {
      await ctx.reply(text.unmatched);
      return;
    }
    await ctx.reply(r.outcome === 'paid' ? text.paid(n) : r.outcome === 'already_paid' ? text.alreadyPaid(n) : text.refundNeeded(n));
  });

  return c;
}
