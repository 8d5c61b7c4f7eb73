import { formatMoney } from '../shared/money.ts';
import { Raster, textWidth, type Rgb } from './png.ts';
import type { SalesReport } from './sales-report.ports.ts';

const W = 720;
const H = 420;
const INK: Rgb = [33, 37, 41];
const MUTED: Rgb = [120, 126, 133];
const BARS: readonly Rgb[] = [
  [79, 129, 189],
  [95, 158, 160],
  [155, 187, 89],
  [46, 139, 87],
];
const TOP: Rgb = [247, 150, 70];
const LABEL_W = 170;
const BAR_MAX = W - LABEL_W - 110;

/** Shortens to `max` characters with "…" drawn as "..". */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 2)}..` : text);

function bar(r: Raster, y: number, label: string, value: number, max: number, color: Rgb, valueText = String(value)): void {
  r.text(20, y + 4, clip(label, 12), INK);
  const w = max > 0 ? Math.max(value > 0 ? 2 : 0, Math.round((value / max) * BAR_MAX)) : 0;
  r.fill(LABEL_W, y, w, 22, color);
  r.text(LABEL_W + w + 8, y + 4, valueText, INK);
}

/**
 * The sales report as a chart (PNG): the funnel from views to paid orders,
 * revenue and average order, and the top products by units. What /stats
 * sends as a picture next to its text.
 */
export function salesChart(report: SalesReport): Buffer {
  const r = new Raster(W, H);
  const f = report.funnel;
  r.text(20, 16, `Sales, last ${report.period.days} day${report.period.days === 1 ? '' : 's'}`, INK, 3);
  const to = report.period.to.toISOString().slice(0, 10);
  r.text(W - 20 - textWidth(to), 22, to, MUTED);

  const steps: [string, number][] = [
    ['Views', f.views],
    ['Add to cart', f.carts],
    ['Checkouts', f.checkouts],
    ['Paid', f.paid],
  ];
  const max = Math.max(1, ...steps.map(([, v]) => v));
  steps.forEach(([label, value], i) => {
    const share = i > 0 && (steps[i - 1]?.[1] ?? 0) > 0 ? ` (${Math.round((value / (steps[i - 1]?.[1] ?? 1)) * 100)}%)` : '';
    bar(r, 64 + i * 32, label, value, max, BARS[i] ?? INK, `${value}${share}`);
  });

  const money = (list: SalesReport['revenue']) => (list.length ? list.map((m) => formatMoney(m)).join(' + ') : '0');
  r.text(20, 200, clip(`Revenue ${money(report.revenue)}   Orders ${report.ordersPaid}   Avg ${money(report.averageOrderValue)}`, 58), INK);

  r.text(20, 236, 'Top products (units)', MUTED);
  const top = report.topProducts.slice(0, 5);
  const topMax = Math.max(1, ...top.map((p) => p.units));
  if (!top.length) r.text(20, 264, 'No sales yet', MUTED);
  top.forEach((p, i) => bar(r, 260 + i * 30, p.title, p.units, topMax, TOP));
  return r.png();
}
