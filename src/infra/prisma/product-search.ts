import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import { normalizeForSearch } from '../../catalog/search-text.ts';
import type { ProductPage, ProductQuery, ProductSearch } from '../../search/search.ports.ts';
import { decodeCursorValue, encodeCursor, invalidCursor } from './cursor.ts';
import { productInclude, toProduct } from './product-mapper.ts';

/** How many matches relevance ranking looks at; beyond that a shopper refines the query. */
const RELEVANCE_WINDOW = 1000;

/**
 * Portable search over the denormalised Product.searchText: every word must
 * match; relevance ranks title hits above description hits. Sorted listings
 * page by keyset (stable under inserts); relevance pages by offset.
 */
export class PrismaProductSearch implements ProductSearch {
  constructor(private readonly db: Db) {}

  async search(q: ProductQuery): Promise<ProductPage> {
    const terms = q.q ? tokenize(q.q) : [];
    const where: Prisma.ProductWhereInput = {
      storeId: q.storeId,
      status: { in: q.statuses },
      ...(q.categoryIds && { categoryId: { in: q.categoryIds } }),
      ...((q.minPrice !== undefined || q.maxPrice !== undefined) && {
        minPrice: { ...(q.minPrice !== undefined && { gte: q.minPrice }), ...(q.maxPrice !== undefined && { lte: q.maxPrice }) },
      }),
      ...(terms.length && { AND: terms.map((t) => ({ searchText: { contains: t } })) }),
    };
    if (q.sort === 'relevance' && terms.length) return this.byRelevance(where, terms, q);
    return this.sorted(where, q);
  }

  private async byRelevance(where: Prisma.ProductWhereInput, terms: string[], q: ProductQuery): Promise<ProductPage> {
    const offset = q.cursor === undefined ? 0 : decodeOffset(q.cursor);
    const candidates = await this.db.product.findMany({
      where,
      select: { id: true, title: true, tags: true, createdAt: true },
      orderBy: { createdAt: 'desc' },
      take: RELEVANCE_WINDOW,
    });
    const ranked = candidates
      .map((c) => ({ id: c.id, score: score(c.title, JSON.stringify(c.tags), terms), at: c.createdAt.getTime() }))
      .sort((a, b) => b.score - a.score || b.at - a.at || a.id.localeCompare(b.id));
    const pageIds = ranked.slice(offset, offset + q.limit).map((r) => r.id);
    const rows = await this.db.product.findMany({ where: { id: { in: pageIds } }, include: productInclude });
    const byId = new Map(rows.map((r) => [r.id, toProduct(r)]));
    const items = pageIds.flatMap((id) => byId.get(id) ?? []);
    const next = offset + q.limit;
    return { items, nextCursor: next < ranked.length ? encodeCursor({ o: next }) : null };
  }

  private async sorted(where: Prisma.ProductWhereInput, q: ProductQuery): Promise<ProductPage> {
    const byPrice = q.sort === 'price_asc' || q.sort === 'price_desc';
    const dir: Prisma.SortOrder = q.sort === 'price_asc' ? 'asc' : 'desc';
    const after = q.cursor === undefined ? undefined : decodeKeyset(q.cursor);
    const cmp = dir === 'asc' ? 'gt' : 'lt';
    const keyset: Prisma.ProductWhereInput | undefined = after
      ? byPrice
        ? { OR: [{ minPrice: { [cmp]: after.k } }, { minPrice: after.k, id: { [cmp]: after.id } }] }
        : { OR: [{ createdAt: { lt: new Date(after.k) } }, { createdAt: new Date(after.k), id: { lt: after.id } }] }
      : undefined;
    const rows = await this.db.product.findMany({
      where: keyset ? { AND: [where, keyset] } : where,
      include: productInclude,
      orderBy: byPrice ? [{ minPrice: dir }, { id: dir }] : [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
    });
    const items = rows.slice(0, q.limit).map(toProduct);
    const last = items.at(-1);
    const nextCursor =
      rows.length > q.limit && last ? encodeCursor({ k: byPrice ? last.minPrice : last.createdAt.getTime(), id: last.id }) : null;
    return { items, nextCursor };
  }
}

export function tokenize(text: string): string[] {
  return [...new Set(normalizeForSearch(text).split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0))].slice(0, 12);
}

function score(title: string, tags: string, terms: string[]): number {
  const t = normalizeForSearch(title);
  let s = 0;
  for (const term of terms) {
    if (new RegExp(`\\b${escapeRegExp(term)}\\b`).test(t)) s += 3;
    else if (t.includes(term)) s += 2;
    if (tags.includes(term)) s += 1;
  }
  return s;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function decodeOffset(cursor: string): number {
  const v = decodeCursorValue(cursor);
  if (typeof v === 'object' && v !== null && 'o' in v && typeof v.o === 'number' && Number.isSafeInteger(v.o) && v.o >= 0) return v.o;
  throw invalidCursor();
}

function decodeKeyset(cursor: string): { k: number; id: string } {
  const v = decodeCursorValue(cursor);
  if (typeof v === 'object' && v !== null && 'k' in v && 'id' in v && typeof v.k === 'number' && typeof v.id === 'string') {
    return { k: v.k, id: v.id };
  }
  throw invalidCursor();
}
