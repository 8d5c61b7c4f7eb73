import { taxIsIncluded } from '../../cart/cart-totals.ts';
import type { OrderRecord } from '../../orders/orders.types.ts';
import { formatMoney } from '../../shared/money.ts';

/** Small server-rendered pages of the payment step; every value is escaped. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

const style = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#222}
.demo{background:#fff3cd;border:2px solid #d39e00;padding:.6rem 1rem;font-weight:700;border-radius:6px}
table{width:100%;border-collapse:collapse;margin:1rem 0}td{padding:.3rem 0;border-bottom:1px solid #eee}td.n{text-align:right}
.total td{font-weight:700;border:0}form{display:inline-block;margin-right:.5rem}
button{font-size:1rem;padding:.6rem 1.4rem;border-radius:6px;border:1px solid #888;cursor:pointer}
.approve{background:#1e7e34;color:#fff;border-color:#1e7e34}.msg{font-size:1.15rem}`;

export function page(title: string, body: string, demo: boolean): string {
  const banner = demo ? '<p class="demo">DEMO — no money moves. This page stands in for a real payment provider.</p>' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>${banner}<h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function orderTable(order: OrderRecord): string {
  const m = (amount: number) => escapeHtml(formatMoney({ amount, currency: order.currency }));
  const rows = order.items
    .map((i) => `<tr><td>${i.quantity} × ${escapeHtml(i.title)}${i.variantTitle ? ` <small>(${escapeHtml(i.variantTitle)})</small>` : ''}</td><td class="n">${m(i.lineTotal)}</td></tr>`)
    .join('');
  const extra = [
    order.discountTotal ? `<tr><td>Discount</td><td class="n">-${m(order.discountTotal)}</td></tr>` : '',
    order.shippingTotal ? `<tr><td>Shipping</td><td class="n">${m(order.shippingTotal)}</td></tr>` : '',
    order.taxTotal ? `<tr><td>${taxIsIncluded(order) ? 'Includes tax' : 'Tax'}</td><td class="n">${m(order.taxTotal)}</td></tr>` : '',
  ].join('');
  return `<table>${rows}${extra}<tr class="total"><td>Total</td><td class="n">${m(order.total)}</td></tr></table>`;
}

export function decisionForms(order: OrderRecord, token: string): string {
  const action = (what: string) => `/pay/demo/${encodeURIComponent(order.id)}/${what}`;
  const hidden = `<input type="hidden" name="token" value="${escapeHtml(token)}">`;
  return `<form method="post" action="${action('approve')}">${hidden}<button class="approve" type="submit">Approve payment</button></form>
<form method="post" action="${action('decline')}">${hidden}<button type="submit">Decline</button></form>`;
}

export const p = (text: string) => `<p class="msg">${escapeHtml(text)}</p>`;
