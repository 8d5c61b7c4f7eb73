import { GrammyError, type Api } from 'grammy';
import type { LabeledPrice } from 'grammy/types';
import type { Reply } from '../../src/conversation/conversation.types.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { clip } from './html.ts';
import { translatorFor } from './locale.ts';
import { invoiceText, type InvoiceText } from './invoice-text.ts';
import type { ShopRef, TelegramDeps } from './telegram.types.ts';

export type CheckoutReply = Extract<Reply, { type: 'checkout' }>;

const MAX_TITLE = 32;
const MAX_DESCRIPTION = 255;
const MAX_LABEL = 64;

/** The checkout reply a native invoice replaces: one with a payment step, when invoices are on. */
export function invoiceReplyOf(deps: TelegramDeps, replies: readonly Reply[]): CheckoutReply | undefined {
  if (!deps.telegramPay) return undefined;
  return replies.find((r): r is CheckoutReply => r.type === 'checkout' && r.provider !== null);
}

/**
 * The order's own amounts as invoice lines, in minor units: each item, then
 * shipping and (exclusive) tax. When they do not add up to the order total on
 * their own (a discount: Telegram prices are not negative), one line with the total.
 */
export function invoicePrices(order: OrderRecord, text: InvoiceText): LabeledPrice[] {
  const label = (s: string) => clip(s, MAX_LABEL);
  const lines: LabeledPrice[] = order.items.map((i) => ({ label: label(text.item(i.variantTitle ? `${i.title} (${i.variantTitle})` : i.title, i.quantity)), amount: i.lineTotal }));
  if (order.shippingTotal > 0) lines.push({ label: text.shipping, amount: order.shippingTotal });
  const sum = lines.reduce((s, l) => s + l.amount, 0);
  if (lines.some((l) => l.amount <= 0)) return [{ label: text.total, amount: order.total }];
  // Tax included in the prices is not charged again; exclusive tax is its own line.
  if (sum === order.total) return lines;
  if (order.taxTotal > 0 && sum + order.taxTotal === order.total) return [...lines, { label: text.tax, amount: order.taxTotal }];
  return [{ label: text.total, amount: order.total }];
}

/**
 * Sends the order as a native invoice into the shopper's private chat. False
 * when it could not be sent (the order moved on, Telegram refused the
 * currency or token …): the caller then shows the link payment step instead.
 */
export async function sendInvoiceFor(api: Api, chatId: number, reply: CheckoutReply, deps: TelegramDeps, shop: ShopRef, languageCode: string | undefined): Promise<boolean> {
  const pay = deps.telegramPay;
  if (!pay) return false;
  try {
    const store = await shop.get();
    const order = await deps.orders.get(store.id, String(reply.orderNumber));
    if (order.status !== 'pending_payment') return false;
    const text = invoiceText((await translatorFor(shop, languageCode)).locale);
    await api.sendInvoice(chatId, clip(text.title(order.number), MAX_TITLE), clip(reply.text, MAX_DESCRIPTION), pay.payload(order.id), order.currency, invoicePrices(order, text), {
      provider_token: pay.providerToken,
    });
    return true;
  } catch (err) {
    // Blocked by the user: nothing else can be sent either.
    if (err instanceof GrammyError && err.error_code === 403) return true;
    deps.log.warn({ err, order: reply.orderNumber }, 'telegram invoice not sent; showing the payment link');
    return false;
  }
}
