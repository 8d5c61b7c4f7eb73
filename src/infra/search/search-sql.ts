// SQL both dialects write the same way: filters, keyset pages, sorted orders.
// Everything the shopper typed is a bound parameter.
//
// Searches read "ProductSearchDoc" (alias s), a side table each migration
// keeps in step with "Product" by triggers: the product's id ("productId")
// and the columns searches filter and sort by, under the same names as in
// "Product". "Product" itself (alias p) is read for substring terms.
import { Prisma } from '../db/generated/sqlite/client.ts';
import type { SearchPlan } from './search-plan.ts';

export type Sql = Prisma.Sql;
export const sql = Prisma.sql;
export const join = Prisma.join;
export const empty = Prisma.empty;

/** The columns searches filter and sort by, and the product's id. */
export interface Columns {
  id: Sql;
  storeId: Sql;
  status: Sql;
  categoryId: Sql;
  minPrice: Sql;
  createdAt: Sql;
}

const columnsOf = (alias: 's' | 'p', id: string): Columns => ({
  id: Prisma.raw(`${alias}."${id}"`),
  storeId: Prisma.raw(`${alias}."storeId"`),
  status: Prisma.raw(`${alias}."status"`),
  categoryId: Prisma.raw(`${alias}."categoryId"`),
  minPrice: Prisma.raw(`${alias}."minPrice"`),
  createdAt: Prisma.raw(`${alias}."createdAt"`),
});

/** Of "ProductSearchDoc" s: what searches read. */
export const DOC = columnsOf('s', 'productId');
/** Of "Product" p, when a search reads that table alone. */
export const PRODUCT_ROW = columnsOf('p', 'id');

/** Store, status, category and price filters, and the keyset of a sorted page. */
export function commonFilters(plan: SearchPlan, c: Columns = DOC): Sql[] {
  const where: Sql[] = [sql`${c.storeId} = ${plan.storeId}`, sql`${c.status} IN (${join(plan.statuses)})`];
  if (plan.categoryIds) where.push(sql`${c.categoryId} IN (${join(plan.categoryIds)})`);
  if (plan.minPrice !== undefined) where.push(sql`${c.minPrice} >= ${plan.minPrice}`);
  if (plan.maxPrice !== undefined) where.push(sql`${c.minPrice} <= ${plan.maxPrice}`);
  const o = plan.order;
  if (o.by === 'price' && o.after) {
    const { k, id } = o.after;
    where.push(
      o.dir === 'asc'
        ? sql`(${c.minPrice} > ${k} OR (${c.minPrice} = ${k} AND ${c.id} > ${id}))`
        : sql`(${c.minPrice} < ${k} OR (${c.minPrice} = ${k} AND ${c.id} < ${id}))`,
    );
  }
  if (o.by === 'newest' && o.after) {
    const at = new Date(o.after.k);
    where.push(sql`(${c.createdAt} < ${at} OR (${c.createdAt} = ${at} AND ${c.id} < ${o.after.id}))`);
  }
  return where;
}

/** How "VariantOption" rows name their product: by id (PostgreSQL), or by "ProductSearchDoc"."docId" (SQLite). */
export interface OptionKey {
  column: 'productId' | 'docId';
  /** The product's id, or docId, in the query. */
  of: Sql;
}

/**
 * A variant of the product has, for every option name, one of the accepted
 * values: one index lookup per name in "VariantOption" (names and values
 * lower-cased there by the triggers, as the plan's are).
 */
export function optionFilter(options: Record<string, string[]>, key: OptionKey = { column: 'productId', of: DOC.id }): Sql {
  const column = Prisma.raw(`"${key.column}"`);
  const conditions = Object.entries(options).map(([name, values], i) => {
    const o = Prisma.raw(`o${i}`);
    const sameVariant =
      key.column === 'docId'
        ? // Unary +: look up by (docId, name, value), the primary key, not by the text variantId.
          sql`${o}."docId" = o0."docId" AND +${o}."variantId" = o0."variantId"`
        : sql`${o}."variantId" = o0."variantId"`;
    return sql`${i === 0 ? sql`${o}.${column} = ${key.of}` : sameVariant} AND ${o}."name" = ${name} AND ${o}."value" IN (${join(values)})`;
  });
  const tables = conditions.map((_, i) => Prisma.raw(`"VariantOption" o${i}`));
  return sql`EXISTS (SELECT 1 FROM ${join(tables, ' CROSS JOIN ')} WHERE ${join(conditions, ' AND ')})`;
}

/** ORDER BY … LIMIT … [OFFSET …], given the expression relevance ranks by (best first). */
export function orderAndLimit(plan: SearchPlan, relevance: Sql, c: Columns = DOC): Sql {
  const o = plan.order;
  if (o.by === 'relevance') return sql`ORDER BY ${relevance}, ${c.createdAt} DESC, ${c.id} DESC LIMIT ${plan.take} OFFSET ${o.offset}`;
  if (o.by === 'price' && o.dir === 'asc') return sql`ORDER BY ${c.minPrice} ASC, ${c.id} ASC LIMIT ${plan.take}`;
  if (o.by === 'price') return sql`ORDER BY ${c.minPrice} DESC, ${c.id} DESC LIMIT ${plan.take}`;
  return sql`ORDER BY ${c.createdAt} DESC, ${c.id} DESC LIMIT ${plan.take}`;
}

/** Where the substring terms sit, for ranking when there are no word terms: title above tags. */
export function substringRank(plan: SearchPlan, contains: (column: 'title' | 'tags', text: string) => Sql, c: Columns = DOC): Sql {
  const parts = plan.substrings.map(
    (s) => sql`(CASE WHEN ${contains('title', s)} THEN 2 ELSE 0 END + CASE WHEN ${contains('tags', s)} THEN 1 ELSE 0 END)`,
  );
  return parts.length ? sql`(${join(parts, ' + ')}) DESC` : sql`${c.createdAt} DESC`;
}

export function whereClause(conditions: Sql[]): Sql {
  return sql`WHERE ${join(conditions, ' AND ')}`;
}
