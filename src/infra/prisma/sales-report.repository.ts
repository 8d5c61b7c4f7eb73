import type { PaidTotals, ProductSales, RefundTotals, SalesReportRepository } from '../../analytics/sales-report.ports.ts';
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
}
