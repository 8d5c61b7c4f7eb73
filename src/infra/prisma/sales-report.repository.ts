import type { CampaignSales, PaidTotals, ProductSales, RefundTotals, SalesReportRepository } from '../../analytics/sales-report.ports.ts';
import type { Db } from '../db/client.ts';

/**
 * A refund leaves an order event: a move to (partially) refunded, or, where the
 * status stays (e.g. already refunded in part), an event whose note starts
 * "refunded " (src/payments/refund-state.ts). Raw updates leave Payment.updatedAt
 * as it was, so the payment row cannot date a refund.
 */
const REFUND_EVENT = [{ toStatus: { in: ['refunded', 'partially_refunded'] } }, { note: { startsWith: 'refunded ' } }];

/**
 * Sales figures from the order history, on either database: an order counts
 * in the period in which it moved to paid (its OrderEvent), whatever it became
 * later; refunds are the payments refunded with a refund event in the period (the
 * amount is all refunded on them so far: there is no per-refund ledger).
 */
export class PrismaSalesReportRepository implements SalesReportRepository {
  constructor(private readonly db: Db) {}

  private paidSince(storeId: string, since: Date) {
    return { storeId, events: { some: { toStatus: 'paid', createdAt: { gte: since } } } };
  }

  async paidTotals(storeId: string, since: Date): Promise<PaidTotals[]> {
    const groups = await this.db.order.groupBy({
      by: ['currency'],
      where: this.paidSince(storeId, since),
      _count: { _all: true },
      _sum: { total: true },
    });
    return groups.map((g) => ({ currency: g.currency, orders: g._count._all, total: g._sum.total ?? 0 }));
  }

  async topProducts(storeId: string, since: Date, limit: number): Promise<ProductSales[]> {
    const groups = await this.db.orderItem.groupBy({
      by: ['title', 'currency'],
      where: { order: this.paidSince(storeId, since) },
      _sum: { quantity: true, lineTotal: true },
      orderBy: [{ _sum: { quantity: 'desc' } }, { _sum: { lineTotal: 'desc' } }, { title: 'asc' }],
      take: limit,
    });
    return groups.map((g) => ({ title: g.title, currency: g.currency, units: g._sum.quantity ?? 0, revenue: g._sum.lineTotal ?? 0 }));
  }

  async refunds(storeId: string, since: Date): Promise<RefundTotals[]> {
    const groups = await this.db.payment.groupBy({
      by: ['currency'],
      where: { refunded: { gt: 0 }, order: { storeId, events: { some: { createdAt: { gte: since }, OR: REFUND_EVENT } } } },
      _count: { _all: true },
      _sum: { refunded: true },
    });
    return groups.map((g) => ({ currency: g.currency, orders: g._count._all, amount: g._sum.refunded ?? 0 }));
  }

  /**
   * Campaign links (first "campaign" attribution of each shopper) and
   * broadcasts (Buy-button clicks): the shoppers each brought and their
   * orders paid in the period after they arrived (broadcasts: within 7 days
   * of the click).
   */
  async topCampaigns(storeId: string, since: Date, limit: number): Promise<CampaignSales[]> {
    const arrivals = new Map<string, { customerId: string; at: Date; until: Date | null }[]>();
    const add = (name: string, customerId: string, at: Date, until: Date | null) => arrivals.set(name, [...(arrivals.get(name) ?? []), { customerId, at, until }]);
    const links = await this.db.analyticsEvent.findMany({ where: { storeId, type: 'campaign', customerId: { not: null } }, orderBy: { createdAt: 'asc' }, select: { customerId: true, createdAt: true, data: true }, take: 5000 });
    const seen = new Set<string>();
    for (const l of links) {
      const campaign = l.data && typeof l.data === 'object' && !Array.isArray(l.data) ? l.data.campaign : undefined;
      if (!l.customerId || typeof campaign !== 'string' || seen.has(l.customerId)) continue;
      seen.add(l.customerId);
      add(`link:${campaign}`, l.customerId, l.createdAt, null);
    }
    const clicks = await this.db.broadcastDelivery.findMany({
      where: { clickedAt: { not: null }, broadcast: { storeId, createdAt: { gte: new Date(since.getTime() - 7 * 86_400_000) } } },
      select: { customerId: true, clickedAt: true, broadcast: { select: { text: true } } },
      take: 5000,
    });
    for (const c of clicks) {
      if (c.clickedAt) add(`broadcast:${c.broadcast.text.slice(0, 24)}`, c.customerId, c.clickedAt, new Date(c.clickedAt.getTime() + 7 * 86_400_000));
    }
    const out: CampaignSales[] = [];
    for (const [name, people] of arrivals) {
      const revenue = new Map<string, number>();
      let orders = 0;
      for (const p of people) {
        const from = p.at > since ? p.at : since;
        const paid = await this.db.order.findMany({
          where: { storeId, customerId: p.customerId, events: { some: { toStatus: 'paid', createdAt: { gte: from, ...(p.until && { lte: p.until }) } } } },
          select: { total: true, currency: true },
        });
        orders += paid.length;
        for (const o of paid) revenue.set(o.currency, (revenue.get(o.currency) ?? 0) + o.total);
      }
      out.push({ name, shoppers: people.length, orders, revenue: [...revenue].map(([currency, amount]) => ({ amount, currency })) });
    }
    return out.sort((a, b) => b.orders - a.orders || b.shoppers - a.shoppers || a.name.localeCompare(b.name)).slice(0, limit);
  }
}
