import type { Locale } from '../../src/conversation/i18n/i18n.ts';
import type { PreCheckoutRefusal } from '../../src/payments/telegram-pay.service.ts';

/** What native invoices say, per shop language (kept with the adapter: only Telegram shows them). */
export interface InvoiceText {
  title(n: number): string;
  item(title: string, quantity: number): string;
  shipping: string;
  tax: string;
  total: string;
  refusal: Record<PreCheckoutRefusal | 'busy', string>;
  paid(n: number): string;
  alreadyPaid(n: number): string;
  refundNeeded(n: number): string;
  /** A payment whose invoice we cannot match to an order. */
  unmatched: string;
}

const en: InvoiceText = {
  title: (n) => `Order #${n}`,
  item: (title, q) => (q === 1 ? title : `${title} × ${q}`),
  shipping: 'Shipping',
  tax: 'Tax',
  total: 'Total',
  refusal: {
    bad_payload: 'This invoice is not valid. Please check out again from the bot.',
    unknown_order: 'This order no longer exists. Please check out again.',
    not_payable: 'This order can no longer be paid (it is already paid or cancelled).',
    lapsed: 'The reservation for this order has expired. Please check out again.',
    amount_mismatch: 'The amount does not match this order. Please check out again.',
    busy: 'We could not check your order in time. Please try again in a moment.',
  },
  paid: (n) => `Payment received, thank you! Order #${n} is paid.`,
  alreadyPaid: (n) => `Order #${n} was already paid. If you were charged twice, the shop will refund the extra payment.`,
  refundNeeded: (n) => `We received your payment for order #${n}, but the order could not be completed. The shop will refund you.`,
  unmatched: 'We received your payment but could not match it to an order. The shop will check it and refund you.',
};

const zhCN: InvoiceText = {
  title: (n) => `订单 #${n}`,
  item: (title, q) => (q === 1 ? title : `${title} × ${q}`),
  shipping: '运费',
  tax: '税费',
  total: '合计',
  refusal: {
    bad_payload: '此账单无效，请在机器人中重新结账。',
    unknown_order: '此订单已不存在，请重新结账。',
    not_payable: '此订单已无法付款（已付款或已取消）。',
    lapsed: '此订单的保留时间已过，请重新结账。',
    amount_mismatch: '金额与订单不符，请重新结账。',
    busy: '未能及时核对你的订单，请稍后再试。',
  },
  paid: (n) => `已收到付款，谢谢！订单 #${n} 已付款。`,
  alreadyPaid: (n) => `订单 #${n} 此前已付款。如被重复扣款，店铺将退还多付的款项。`,
  refundNeeded: (n) => `我们已收到订单 #${n} 的付款，但订单无法完成，店铺将为你退款。`,
  unmatched: '我们已收到你的付款，但无法匹配到订单，店铺将核对并为你退款。',
};

export const invoiceText = (locale: Locale): InvoiceText => (locale === 'zh-CN' ? zhCN : en);
