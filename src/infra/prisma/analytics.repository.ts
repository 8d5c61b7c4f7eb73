import type { Db } from '../db/client.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import type { AnalyticsEventRow, AnalyticsRepository, Funnel, ZeroResultSearch } from '../../analytics/analytics.ports.ts';

export class PrismaAnalyticsRepository implements AnalyticsRepository {
  constructor(private readonly db: Db) {}

  async insertMany(rows: AnalyticsEventRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.analyticsEvent.createMany({
      data: rows.map((r) => ({ ...r, data: r.data ?? Prisma.DbNull })),
    });
  }

  /** One GROUP BY over the (storeId, type, createdAt) index. */
  async zeroResultSearches(storeId: string, since: Date, limit: number): Promise<ZeroResultSearch[]> {
    const groups = await this.db.analyticsEvent.groupBy({
      by: ['query'],
      where: { storeId, type: 'search', resultCount: 0, query: { not: null }, createdAt: { gte: since } },
      _count: { _all: true },
      _max: { createdAt: true },
      orderBy: [{ _count: { query: 'desc' } }, { query: 'asc' }],
      take: limit,
    });
    return groups.flatMap((g) =>
      g.query === null ? [] : [{ query: g.query, count: g._count._all, lastSearchedAt: g._max.createdAt ?? since }],
    );
  }

  async funnel(storeId: string, since: Date): Promise<Funnel> {
    const [byType, paid] = await Promise.all([
      this.db.analyticsEvent.groupBy({
        by: ['type'],
        where: { storeId, type: { in: ['view', 'add_to_cart', 'checkout_started'] }, createdAt: { gte: since } },
        _count: { _all: true },
      }),
      this.db.orderEvent.count({ where: { toStatus: 'paid', createdAt: { gte: since }, order: { storeId } } }),
    ]);
    const n = (type: string) => byType.find((g) => g.type === type)?._count._all ?? 0;
    return { views: n('view'), carts: n('add_to_cart'), checkouts: n('checkout_started'), paid };
  }
}
