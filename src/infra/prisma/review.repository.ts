import type { RatingSummary, ReviewableOrder, ReviewRecord, ReviewRepository } from '../../reviews/reviews.ports.ts';
import type { Db } from '../db/client.ts';
import { asNumber, directSql } from '../db/direct-sql.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { isUniqueViolation } from './prisma-errors.ts';

export class PrismaReviewRepository implements ReviewRepository {
  constructor(private readonly db: Db) {}

  async reviewableOrder(storeId: string, orderId: string): Promise<ReviewableOrder | null> {
    const o = await this.db.order.findFirst({
      where: { storeId, id: orderId },
      select: { id: true, number: true, customerId: true, status: true, items: { select: { variantId: true }, orderBy: { id: 'asc' } } },
    });
    if (!o) return null;
    const variantIds = o.items.flatMap((i) => (i.variantId ? [i.variantId] : []));
    const [variants, rated] = await Promise.all([
      this.db.variant.findMany({ where: { storeId, id: { in: variantIds } }, select: { id: true, product: { select: { id: true, title: true } } } }),
      this.db.productReview.findMany({ where: { storeId, orderId: o.id }, select: { productId: true } }),
    ]);
    const byVariant = new Map(variants.map((v) => [v.id, v.product]));
    const products = new Map<string, { id: string; title: string }>();
    for (const id of variantIds) {
      const p = byVariant.get(id);
      if (p && !products.has(p.id)) products.set(p.id, { id: p.id, title: p.title });
    }
    return { id: o.id, number: o.number, customerId: o.customerId, status: o.status, products: [...products.values()], rated: rated.map((r) => r.productId) };
  }

  async upsertRating(input: {
    storeId: string;
    productId: string;
    orderId: string;
    customerId: string;
    rating: number;
  }): Promise<{ review: ReviewRecord; created: boolean }> {
    const where = { orderId_productId: { orderId: input.orderId, productId: input.productId } };
    const existing = await this.db.productReview.findUnique({ where });
    if (existing)
      return {
        review: await this.db.productReview.update({ where, data: { rating: input.rating, customerId: input.customerId } }),
        created: false,
      };
    try {
      return { review: await this.db.productReview.create({ data: input }), created: true };
    } catch (err) {
      // Two taps at once: the other one inserted first, so this one updates it.
      if (!isUniqueViolation(err)) throw err;
      return { review: await this.db.productReview.update({ where, data: { rating: input.rating } }), created: false };
    }
  }

  async setText(storeId: string, reviewId: string, customerId: string, text: string): Promise<ReviewRecord | null> {
    const r = await this.db.productReview.updateMany({ where: { storeId, id: reviewId, customerId }, data: { text } });
    return r.count ? this.db.productReview.findUnique({ where: { id: reviewId } }) : null;
  }

  /** Under every product card a chat shows: direct SQL (direct-sql.ts). */
  async summaries(storeId: string, productIds: readonly string[]): Promise<Map<string, RatingSummary>> {
    if (!productIds.length) return new Map();
    const rows = await directSql(this.db).query<{ productId: string; average: unknown; count: unknown }>(Prisma.sql`
      SELECT "productId", AVG("rating") AS "average", COUNT(*) AS "count" FROM "ProductReview"
      WHERE "storeId" = ${storeId} AND "productId" IN (${Prisma.join([...productIds])})
      GROUP BY "productId"`);
    return new Map(rows.map((r) => [r.productId, { average: Math.round(asNumber(r.average) * 10) / 10, count: asNumber(r.count) }]));
  }

  async list(storeId: string, productId: string, q: { limit: number; cursor?: string | undefined }) {
    const after = decodeCursor(q.cursor);
    const rows = await this.db.productReview.findMany({
      where: { storeId, productId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
      ...(after && { cursor: { id: after }, skip: 1 }),
    });
    const items = rows.slice(0, q.limit);
    return { items, nextCursor: rows.length > q.limit ? encodeCursor(items.at(-1)?.id ?? '') : null };
  }
}
