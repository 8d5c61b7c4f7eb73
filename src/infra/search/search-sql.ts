// SQL both dialects write the same way: filters, keyset pages, sorted orders.
// Everything the shopper typed is a bound parameter.
import { Prisma } from '../db/generated/sqlite/client.ts';
import type { SearchPlan } from './search-plan.ts';

export type Sql = Prisma.Sql;
export const sql = Prisma.sql;
export const join = Prisma.join;

/** Store, status, category and price filters, and the keyset of a sorted page (table alias p). */
export function commonFilters(plan: SearchPlan): Sql[] {
  const where: Sql[] = [sql`p."storeId" = ${plan.storeId}`, sql`p."status" IN (${join(plan.statuses)})`];
  if (plan.categoryIds) where.push(sql`p."categoryId" IN (${join(plan.categoryIds)})`);
  if (plan.minPrice !== undefined) where.push(sql`p."minPrice" >= ${plan.minPrice}`);
  if (plan.maxPrice !== undefined) where.push(sql`p."minPrice" <= ${plan.maxPrice}`);
  const o = plan.order;
  if (o.by === 'price' && o.after) {
    const { k, id } = o.after;
    where.push(
      o.dir === 'asc'
        ? sql`(p."minPrice" > ${k} OR (p."minPrice" = ${k} AND p."id" > ${id}))`
        : sql`(p."minPrice" < ${k} OR (p."minPrice" = ${k} AND p."id" < ${id}))`,
    );
  }
  if (o.by === 'newest' && o.after) {
    const at = new Date(o.after.k);
    where.push(sql`(p."createdAt" < ${at} OR (p."createdAt" = ${at} AND p."id" < ${o.after.id}))`);
  }
  return where;
}

/** ORDER BY … LIMIT … [OFFSET …], given the expression relevance ranks by (best first). */
export function orderAndLimit(plan: SearchPlan, relevance: Sql): Sql {
  const o = plan.order;
  if (o.by === 'relevance') return sql`ORDER BY ${relevance}, p."createdAt" DESC, p."id" DESC LIMIT ${plan.take} OFFSET ${o.offset}`;
  if (o.by === 'price' && o.dir === 'asc') return sql`ORDER BY p."minPrice" ASC, p."id" ASC LIMIT ${plan.take}`;
  if (o.by === 'price') return sql`ORDER BY p."minPrice" DESC, p."id" DESC LIMIT ${plan.take}`;
  return sql`ORDER BY p."createdAt" DESC, p."id" DESC LIMIT ${plan.take}`;
}

/** Where the substring terms sit, for ranking when there are no word terms: title above tags. */
export function substringRank(plan: SearchPlan, contains: (column: 'title' | 'tags', text: string) => Sql): Sql {
  const parts = plan.substrings.map((s) => sql`(CASE WHEN ${contains('title', s)} THEN 2 ELSE 0 END + CASE WHEN ${contains('tags', s)} THEN 1 ELSE 0 END)`);
  return parts.length ? sql`(${join(parts, ' + ')}) DESC` : sql`p."createdAt" DESC`;
}

export function whereClause(conditions: Sql[]): Sql {
  return sql`WHERE ${join(conditions, ' AND ')}`;
}
