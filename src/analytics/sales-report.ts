import { AppError } from '../shared/errors.ts';
import { formatMoney, type Money } from '../shared/money.ts';
import type { Clock } from '../shared/time.ts';
import type { FunnelSource, SalesReport, SalesReportRepository } from './sales-report.ports.ts';

export type { SalesReport } from './sales-report.ports.ts';

export const MAX_REPORT_DAYS = 365;
const TOP_PRODUCTS = 5;
const DAY_MS = 24 * 3600 * 1000;

/**
 * The seller's sales report, the same for every channel (Telegram and Discord
 * `/stats`, the REST API): funnel, orders paid, revenue and average order per
 * currency, best sellers and refunds over the last `days` days.
 */
export class SalesReportService {
  constructor(
    private readonly repo: SalesReportRepository,
    private readonly funnels: FunnelSource,
    private readonly clock: Clock,
  ) {}

  async report(storeId: string, opts: { days: number }): Promise<SalesReport> {
    const { days } = opts;
    if (!Number.isInteger(days) || days < 1 || days > MAX_REPORT_DAYS) {
      throw new AppError('BAD_REQUEST', `days must be a whole number from 1 to ${MAX_REPORT_DAYS}`, { days });
    }
    const to = this.clock.now();
    const from = new Date(to.getTime() - days * DAY_MS);
    const [funnel, paid, top, refunds, campaigns] = await Promise.all([
      this.funnels.funnel(storeId, from),
      this.repo.paidTotals(storeId, from),
      this.repo.topProducts(storeId, from, TOP_PRODUCTS),
      this.repo.refunds(storeId, from),
      this.repo.topCampaigns?.(storeId, from, TOP_PRODUCTS) ?? Promise.resolve([]),
    ]);
    const byCurrency = [...paid].sort((a, b) => b.orders - a.orders || a.currency.localeCompare(b.currency));
    return {
      storeId,
      period: { days, from, to },
      funnel,
      ordersPaid: paid.reduce((n, p) => n + p.orders, 0),
      revenue: byCurrency.map((p) => ({ amount: p.total, currency: p.currency })),
      averageOrderValue: byCurrency.filter((p) => p.orders > 0).map((p) => ({ amount: Math.round(p.total / p.orders), currency: p.currency })),
      topProducts: top.slice(0, TOP_PRODUCTS).map((p) => ({ title: p.title, units: p.units, revenue: { amount: p.revenue, currency: p.currency } })),
      topCampaigns: campaigns,
      refunds: {
        orders: refunds.reduce((n, r) => n + r.orders, 0),
        amount: refunds.map((r) => ({ amount: r.amount, currency: r.currency })),
      },
    };
  }
}

/** How amounts and dates are written; a channel's Translator fits, or plain English. */
export interface ReportFormat {
  money(m: Money): string;
  date(d: Date): string;
}

export const plainEnglish: ReportFormat = {
  money: formatMoney,
  date: (d) => d.toISOString().slice(0, 10),
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const percent = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—');

/** The report as lines of plain text (no markup), for any channel to wrap in its own widgets. */
export function formatSalesReport(report: SalesReport, f: ReportFormat = plainEnglish): string[] {
  const amounts = (ms: Money[]) => ms.map((m) => f.money(m)).join(' + ');
  const { funnel: fu, period } = report;
  const lines = [
    `Sales, last ${plural(period.days, 'day')} (${f.date(period.from)} – ${f.date(period.to)})`,
    `Funnel: ${plural(fu.views, 'product view')} → ${fu.carts} added to cart → ${plural(fu.checkouts, 'checkout')} started → ${fu.paid} paid (${percent(fu.paid, fu.views)} of views)`,
    `Orders paid: ${report.ordersPaid}`,
    `Revenue: ${report.revenue.length ? amounts(report.revenue) : 'none'}`,
    `Average order: ${report.averageOrderValue.length ? amounts(report.averageOrderValue) : '—'}`,
  ];
  if (report.topProducts.length) {
    lines.push('Top products:');
    report.topProducts.forEach((p, i) => lines.push(`${i + 1}. ${p.title} — ${p.units} sold, ${f.money(p.revenue)}`));
  } else {
    lines.push('Top products: no sales yet');
  }
  if (report.topCampaigns.length) {
    lines.push('Top campaigns:');
    report.topCampaigns.forEach((c, i) =>
      lines.push(`${i + 1}. ${c.name} — ${plural(c.shoppers, 'shopper')}, ${plural(c.orders, 'order')}${c.revenue.length ? `, ${amounts(c.revenue)}` : ''}`),
    );
  }
  lines.push(report.refunds.orders ? `Refunds: ${plural(report.refunds.orders, 'order')}, ${amounts(report.refunds.amount)}` : 'Refunds: none');
  return lines;
}
