import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { directSql, type DirectSql } from '../db/direct-sql.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import type { AnalyticsEventRow, AnalyticsRepository, Funnel, ZeroResultSearch } from '../../analytics/analytics.ports.ts';
import { chunks } from './sql-batches.ts';

/** Rows per INSERT: 13 values each, far under both databases' limits on bind values. */
const INSERT_ROWS = 500;

export class PrismaAnalyticsRepository implements AnalyticsRepository {
  private readonly sql: DirectSql;

  constructor(private readonly db: Db) {
    this.sql = directSql(db);
  }

  /**
   * One multi-row INSERT on the direct path (direct-sql.ts). The buffered
   * events are written every second under load; through createMany, 100 rows
   * held the event loop for 35-45 ms each time (Prisma builds and runs the
   * query in the client), which every chat reply waiting behind it felt.
   * Unsynced: events are best-effort (buffered in memory until written), so
   * one lost in a power cut costs nothing a crash would not.
   */
  async insertMany(rows: AnalyticsEventRow[]): Promise<void> {
    for (const part of chunks(rows, INSERT_ROWS)) {
      const values = part.map(
        (r) =>
          Prisma.sql`(${randomUUID()}, ${r.storeId}, ${r.type}, ${r.customerId}, ${r.sessionKey}, ${r.productId}, ${r.variantId}, ${r.orderId}, ${r.query}, ${r.resultCount}, ${r.channel}, ${r.data === null ? null : this.sql.json(r.data)}, ${r.createdAt})`,
      );
      await this.sql.executeUnsynced(Prisma.sql`
        INSERT INTO "AnalyticsEvent" ("id", "storeId", "type", "customerId", "sessionKey", "productId", "variantId", "orderId", "query", "resultCount", "channel", "data", "createdAt")
        VALUES ${Prisma.join(values)}`);
    }
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
