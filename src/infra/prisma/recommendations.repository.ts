import type { Db } from '../db/client.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import {
  soldStatuses,
  type CandidateQuery,
  type ProductSignals,
  type RankedProduct,
  type RecommendationRepository,
  type Shopper,
  type ShopperHistory,
} from '../../recommendations/recommendations.ports.ts';
import { productInclude, toProduct, toStringList } from './product-mapper.ts';

const signalSelect = { id: true, categoryId: true, tags: true, minPrice: true, createdAt: true } satisfies Prisma.ProductSelect;

type SignalRow = Prisma.ProductGetPayload<{ select: typeof signalSelect }>;

/** COUNT and SUM come back as bigint on both databases (or number on some drivers). */
const num = (v: bigint | number | null): number => (v === null ? 0 : Number(v));
const sold = Prisma.join([...soldStatuses]);

/**
 * Raw SQL here is portable: quoted identifiers, bound parameters, nothing
 * provider-specific, so the same statements run on SQLite and PostgreSQL.
 * OrderItem.variantId joins Variant to find the product of a line; lines whose
 * variant was deleted since no longer count.
 */
export class PrismaRecommendationRepository implements RecommendationRepository {
  constructor(private readonly db: Db) {}

  async signals(storeId: string, productIds: string[]): Promise<ProductSignals[]> {
    if (productIds.length === 0) return [];
    return this.withStock(await this.db.product.findMany({ where: { storeId, id: { in: productIds } }, select: signalSelect }));
  }

  async candidates(storeId: string, q: CandidateQuery): Promise<ProductSignals[]> {
    const any: Prisma.ProductWhereInput[] = [
      ...(q.categoryIds.length ? [{ categoryId: { in: q.categoryIds } }] : []),
      // searchText holds the lower-cased tags; exact tag overlap is scored afterwards.
      ...q.tags.map((t) => ({ searchText: { contains: t } })),
      ...(q.priceBand ? [{ minPrice: { gte: q.priceBand.min, lte: q.priceBand.max } }] : []),
    ];
    if (any.length === 0) return [];
    const rows = await this.db.product.findMany({
      where: { storeId, status: 'active', id: { notIn: q.excludeIds }, OR: any },
      select: signalSelect,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit,
    });
    return this.withStock(rows);
  }

  categoryTree(storeId: string) {
    return this.db.category.findMany({ where: { storeId }, select: { id: true, parentId: true }, orderBy: { id: 'asc' } });
  }

  async coPurchased(storeId: string, productId: string, limit: number): Promise<RankedProduct[]> {
    const rows = await this.db.$queryRaw<{ productId: string; orders: bigint | number; units: bigint | number | null }[]>`
      SELECT v."productId" AS "productId", COUNT(DISTINCT oi."orderId") AS "orders", SUM(oi."quantity") AS "units"
      FROM "OrderItem" oi
      JOIN "Order" o ON o."id" = oi."orderId"
      JOIN "Variant" v ON v."id" = oi."variantId"
      JOIN "Product" p ON p."id" = v."productId"
      WHERE o."storeId" = ${storeId} AND o."status" IN (${sold}) AND p."status" = 'active' AND v."productId" <> ${productId}
        AND oi."orderId" IN (
          SELECT x."orderId" FROM "OrderItem" x JOIN "Variant" xv ON xv."id" = x."variantId" WHERE xv."productId" = ${productId}
        )
      GROUP BY v."productId"
      ORDER BY "orders" DESC, "units" DESC, v."productId" ASC
      LIMIT ${limit}`;
    return rows.map((r) => ({ productId: r.productId, score: num(r.orders) }));
  }

  async trending(storeId: string, since: Date, limit: number, weights: { unit: number; view: number }): Promise<RankedProduct[]> {
    const rows = await this.db.$queryRaw<{ productId: string; score: bigint | number | null }[]>`
      SELECT s."productId" AS "productId", SUM(s."units") * CAST(${weights.unit} AS INTEGER) + SUM(s."views") * CAST(${weights.view} AS INTEGER) AS "score"
      FROM (
        SELECT v."productId" AS "productId", oi."quantity" AS "units", 0 AS "views"
        FROM "OrderItem" oi
        JOIN "Order" o ON o."id" = oi."orderId"
        JOIN "Variant" v ON v."id" = oi."variantId"
        WHERE o."storeId" = ${storeId} AND o."status" IN (${sold}) AND o."createdAt" >= ${since}
        UNION ALL
        SELECT e."productId" AS "productId", 0 AS "units", 1 AS "views"
        FROM "AnalyticsEvent" e
        WHERE e."storeId" = ${storeId} AND e."type" = 'view' AND e."productId" IS NOT NULL AND e."createdAt" >= ${since}
      ) s
      JOIN "Product" p ON p."id" = s."productId"
      WHERE p."storeId" = ${storeId} AND p."status" = 'active'
      GROUP BY s."productId"
      ORDER BY "score" DESC, SUM(s."units") DESC, s."productId" ASC
      LIMIT ${limit}`;
    return rows.map((r) => ({ productId: r.productId, score: num(r.score) }));
  }

  async newest(storeId: string, limit: number, excludeIds: string[]): Promise<string[]> {
    const rows = await this.db.product.findMany({
      where: { storeId, status: 'active', id: { notIn: excludeIds } },
      select: { id: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  async shopperHistory(storeId: string, shopper: Shopper, limit: number): Promise<ShopperHistory> {
    const who: Prisma.AnalyticsEventWhereInput[] = [
      ...(shopper.customerId ? [{ customerId: shopper.customerId }] : []),
      ...(shopper.sessionKey ? [{ sessionKey: shopper.sessionKey }] : []),
    ];
    if (who.length === 0) return { events: [], purchased: [] };
    const [events, purchased] = await Promise.all([
      this.db.analyticsEvent.findMany({
        where: { storeId, type: { in: ['view', 'add_to_cart'] }, productId: { not: null }, OR: who },
        select: { productId: true, type: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
      }),
      this.purchasedBy(storeId, shopper),
    ]);
    return {
      events: events.flatMap((e) =>
        e.productId && (e.type === 'view' || e.type === 'add_to_cart') ? [{ productId: e.productId, type: e.type }] : [],
      ),
      purchased,
    };
  }

  async products(storeId: string, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = await this.db.product.findMany({ where: { storeId, status: 'active', id: { in: ids } }, include: productInclude });
    const byId = new Map(rows.map((r) => [r.id, toProduct(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** One query for all rows: which products have a variant that can be sold now. */
  private async withStock(rows: SignalRow[]): Promise<ProductSignals[]> {
    if (rows.length === 0) return [];
    const stocked = await this.db.$queryRaw<{ productId: string }[]>`
      SELECT DISTINCT v."productId" AS "productId"
      FROM "Variant" v
      LEFT JOIN "InventoryLevel" i ON i."variantId" = v."id"
      LEFT JOIN "Bundle" b ON b."variantId" = v."id"
      WHERE v."productId" IN (${Prisma.join(rows.map((r) => r.id))})
        AND (
          (b."id" IS NULL AND i."onHand" > i."reserved")
          OR (b."id" IS NOT NULL
            AND EXISTS (SELECT 1 FROM "BundleItem" bi WHERE bi."bundleId" = b."id")
            AND NOT EXISTS (
              SELECT 1 FROM "BundleItem" bi LEFT JOIN "InventoryLevel" pi ON pi."variantId" = bi."variantId"
              WHERE bi."bundleId" = b."id" AND COALESCE(pi."onHand" - pi."reserved", 0) < bi."quantity"))
        )`;
    const inStock = new Set(stocked.map((r) => r.productId));
    return rows.map((p) => ({
      id: p.id,
      categoryId: p.categoryId,
      tags: toStringList(p.tags),
      minPrice: p.minPrice,
      createdAt: p.createdAt,
      inStock: inStock.has(p.id),
    }));
  }

  /** Products in the customer's sold orders, or in sold orders this session's events point at (anonymous checkouts). */
  private async purchasedBy(storeId: string, shopper: Shopper): Promise<string[]> {
    const whose: Prisma.Sql[] = [];
    if (shopper.customerId) whose.push(Prisma.sql`o."customerId" = ${shopper.customerId}`);
    if (shopper.sessionKey) {
      whose.push(Prisma.sql`o."id" IN (
        SELECT e."orderId" FROM "AnalyticsEvent" e
        WHERE e."storeId" = ${storeId} AND e."sessionKey" = ${shopper.sessionKey} AND e."orderId" IS NOT NULL
          AND e."type" IN ('checkout_started', 'order_paid'))`);
    }
    const rows = await this.db.$queryRaw<{ productId: string }[]>`
      SELECT DISTINCT v."productId" AS "productId"
      FROM "OrderItem" oi
      JOIN "Order" o ON o."id" = oi."orderId"
      JOIN "Variant" v ON v."id" = oi."variantId"
      WHERE o."storeId" = ${storeId} AND o."status" IN (${sold}) AND (${Prisma.join(whose, ' OR ')})
      ORDER BY v."productId" ASC`;
    return rows.map((r) => r.productId);
  }
}
