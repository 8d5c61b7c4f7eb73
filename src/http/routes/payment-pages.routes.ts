import { Hono, type Context } from 'hono';
import type { PaymentOutcome } from '../../payments/payment-events.service.ts';
import type { RouteDeps } from '../context.ts';
import { decisionForms, orderTable, p, page } from './payment-pages.html.ts';

const noStore = { 'cache-control': 'no-store' };

/** What the shopper reads after approving or declining on the demo page. */
const approveText: Partial<Record<PaymentOutcome, string>> = {
  paid: 'Payment approved. Your order is paid and on its way to the seller. (Demo: nothing was charged.)',
  already_paid: 'This order is already paid. Nothing was charged again.',
  lapsed: 'The payment window for this order has closed, so it can no longer be paid. Its items went back on sale; please check out again.',
  already_closed: 'This order was cancelled, so it can no longer be paid. Please check out again.',
};
const declineText: Partial<Record<PaymentOutcome, string>> = {
  cancelled: 'Payment declined. The order is cancelled and its items went back on sale.',
  already_closed: 'This order is no longer awaiting payment; nothing changed.',
};

/**
 * GET /pay/demo/:order (the demo provider's page), its approve/decline
 * forms (CSRF token per order), and /pay/return/:order where Stripe sends
 * the shopper back (the webhook, not this page, marks the order paid).
 */
export function paymentPageRoutes({ services }: RouteDeps) {
  const { payments } = services;
  const app = new Hono();
  const html = (c: Context, body: string, status: 200 | 403 | 404 = 200) => c.html(body, status, noStore);
  const notFound = (c: Context) => html(c, page('Payment not found', p('There is no demo payment for this order.'), true), 404);

  app.get('/pay/demo/:order', async (c) => {
    const view = payments.demo ? await payments.demo.page(c.req.param('order')) : null;
    if (!view) return notFound(c);
    const { order, state, token } = view;
    const title = `Order #${order.number}`;
    const body =
      state === 'payable'
        ? `${orderTable(order)}<p>Choose what the payment provider would answer:</p>${decisionForms(order, token)}`
        : `${orderTable(order)}${p(
            state === 'paid'
              ? 'This order is already paid.'
              : state === 'lapsed'
                ? 'The payment window for this order has closed; it can no longer be paid. Please check out again.'
                : 'This order was cancelled and can no longer be paid.',
          )}`;
    return html(c, page(title, body, true));
  });

  for (const decision of ['approve', 'decline'] as const) {
    app.post(`/pay/demo/:order/${decision}`, async (c) => {
      if (!payments.demo) return notFound(c);
      const form = await c.req.parseBody();
      const token = typeof form.token === 'string' ? form.token : '';
      const r = await payments.demo.decide(c.req.param('order'), token, decision);
      if (!r.ok && r.reason === 'NOT_FOUND') return notFound(c);
      if (!r.ok) return html(c, page('Request refused', p('This form is not valid for this order. Open the payment page again.'), true), 403);
      const text = (decision === 'approve' ? approveText : declineText)[r.outcome] ?? `Order #${r.order.number} is ${r.order.status.replace('_', ' ')}.`;
      return html(c, page(`Order #${r.order.number}`, `${orderTable(r.order)}${p(text)}`, true));
    });
  }

  app.get('/pay/return/:order', async (c) => {
    const order = await payments.events.order(c.req.param('order'));
    if (!order) return html(c, page('Order not found', p('There is no such order.'), false), 404);
    const success = c.req.query('result') === 'success';
    const text =
      order.status === 'pending_payment'
        ? success
          ? 'Thank you! Your payment is being confirmed; you will get a message in the chat as soon as it is.'
          : 'The payment was not completed. Your items stay reserved for a little while: go back to the chat to pay.'
        : order.status === 'cancelled'
          ? 'This order was cancelled.'
          : 'Thank you! Your order is paid.';
    return html(c, page(`Order #${order.number}`, `${orderTable(order)}${p(text)}`, false));
  });
  return app;
}
