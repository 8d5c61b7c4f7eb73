// Loads a page of search results as ProductRecords with three plain queries
// (products with their category, images, variants with stock), instead of
// Prisma's include, which costs several queries more and 5–15 ms per page.
// Every product card a chat shows comes through here: direct SQL (direct-sql.ts).
// The records are the ones toProduct() makes from that include.
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type { BundlePart, ProductRecord, ProductStatus, VariantRecord } from '../../catalog/catalog.types.ts';
import { toStringList, toTranslations, variantRecord } from '../prisma/product-mapper.ts';
import { asDate, directSql } from '../db/direct-sql.ts';
import { join, sql } from './search-sql.ts';

interface ProductRow {
  id: string;
  storeId: string;
  slug: string;
  title: string;
  description: string;
  status: string;
  tags: Prisma.JsonValue;
  translations: Prisma.JsonValue | null;
  minPrice: number;
  currency: string;
  createdAt: Date | string;
  updatedAt: Date | string;
  categoryId: string | null;
  categorySlug: string | null;
  categoryName: string | null;
  categoryParentId: string | null;
  categoryPosition: number | null;
}

interface ImageRow {
  id: string;
  productId: string;
  url: string;
  alt: string;
  position: number;
}

/** A variant with its stock and bundle id, as the light loaders select it. */
export interface VariantRow {
  id: string;
  productId: string;
  sku: string;
  title: string;
  options: Prisma.JsonValue;
  price: number;
  compareAtPrice: number | null;
  currency: string;
  weightGrams: number | null;
  position: number;
  onHand: number | null;
  reserved: number | null;
  bundleId: string | null;
}

/** The products with these ids, in the order of `ids` (ids not found are left out). */
export async function loadProducts(db: Db, ids: string[]): Promise<ProductRecord[]> {
  if (ids.length === 0) return [];
  const list = join(ids);
  const direct = directSql(db);
  const [products, images, variants] = await Promise.all([
    direct.query<ProductRow>(sql`
      SELECT p."id", p."storeId", p."slug", p."title", p."description", p."status", p."tags", p."translations",
        p."minPrice", p."currency", p."createdAt", p."updatedAt", p."categoryId",
        c."slug" AS "categorySlug", c."name" AS "categoryName", c."parentId" AS "categoryParentId", c."position" AS "categoryPosition"
      FROM "Product" p LEFT JOIN "Category" c ON c."id" = p."categoryId"
      WHERE p."id" IN (${list})`),
    direct.query<ImageRow>(sql`
      SELECT "id", "productId", "url", "alt", "position" FROM "Image" WHERE "productId" IN (${list}) ORDER BY "position"`),
    direct.query<VariantRow>(sql`
      SELECT v."id", v."productId", v."sku", v."title", v."options", v."price", v."compareAtPrice", v."currency",
        v."weightGrams", v."position", i."onHand", i."reserved", b."id" AS "bundleId"
      FROM "Variant" v
        LEFT JOIN "InventoryLevel" i ON i."variantId" = v."id"
        LEFT JOIN "Bundle" b ON b."variantId" = v."id"
      WHERE v."productId" IN (${list})
      ORDER BY v."position", v."createdAt"`),
  ]);
  const parts = await bundleParts(
    db,
    variants.flatMap((v) => (v.bundleId === null ? [] : [v.bundleId])),
  );
  const imagesOf = groupBy(images, (i) => i.productId);
  const variantsOf = groupBy(variants, (v) => v.productId);
  const byId = new Map(
    products.map((p): [string, ProductRecord] => [
      p.id,
      {
        id: p.id,
        storeId: p.storeId,
        slug: p.slug,
        title: p.title,
        description: p.description,
        status: p.status as ProductStatus,
        category:
          p.categoryId !== null && p.categorySlug !== null
            ? {
                id: p.categoryId,
                slug: p.categorySlug,
                name: p.categoryName ?? '',
                parentId: p.categoryParentId,
                position: p.categoryPosition ?? 0,
              }
            : null,
        tags: toStringList(p.tags),
        translations: toTranslations(p.translations),
        minPrice: p.minPrice,
        currency: p.currency,
        createdAt: asDate(p.createdAt),
        updatedAt: asDate(p.updatedAt),
        images: (imagesOf.get(p.id) ?? []).map((i) => ({ id: i.id, url: i.url, alt: i.alt, position: i.position })),
        variants: (variantsOf.get(p.id) ?? []).map((v) => toVariant(v, parts)),
      },
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

function toVariant(v: VariantRow, parts: Map<string, BundlePart[]>): VariantRecord {
  return variantRecord(v, v, v.bundleId === null ? null : (parts.get(v.bundleId) ?? []));
}

/** The parts of some bundles, by bundle id; no query when the page has no bundle. */
export async function bundleParts(db: Db, bundleIds: string[]): Promise<Map<string, BundlePart[]>> {
  const out = new Map<string, BundlePart[]>();
  if (bundleIds.length === 0) return out;
  const items = await directSql(db).query<{ bundleId: string; variantId: string; quantity: number; sku: string; onHand: number | null; reserved: number | null }>(sql`
    SELECT bi."bundleId", bi."variantId", bi."quantity", v."sku", i."onHand", i."reserved"
    FROM "BundleItem" bi
      JOIN "Variant" v ON v."id" = bi."variantId"
      LEFT JOIN "InventoryLevel" i ON i."variantId" = bi."variantId"
    WHERE bi."bundleId" IN (${join(bundleIds)})`);
  for (const i of items) {
    const part = { variantId: i.variantId, sku: i.sku, quantity: i.quantity, onHand: i.onHand ?? 0, reserved: i.reserved ?? 0 };
    out.set(i.bundleId, [...(out.get(i.bundleId) ?? []), part]);
  }
  return out;
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
