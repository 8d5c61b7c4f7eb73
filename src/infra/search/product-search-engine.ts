import type { Db } from '../db/client.ts';
import { prepareQuery, relaxQuery, type SearchTerm } from '../../search/query-prep.ts';
import { splitWords } from '../../search/query-text.ts';
import type { ProductPage, ProductQuery, ProductSearch, SearchVocabulary } from '../../search/search.ports.ts';
import { VocabularyCache, WordCounter } from '../../search/vocabulary-cache.ts';
import { encodeCursor } from '../prisma/cursor.ts';
import { loadProducts } from './product-page.ts';
import { orderOf, planOf, type SearchDialect, type SearchOrder } from './search-plan.ts';
import { empty, sql } from './search-sql.ts';

/** Products read per query while counting a catalog's words. */
const VOCABULARY_CHUNK = 1000;

/**
 * The part of product search both databases share: query preparation (typo
 * correction, synonyms), the fallback to the known words when nothing matches
 * every word, cursors and loading the page. The dialect finds the ids.
 */
export class ProductSearchEngine implements ProductSearch {
  private readonly cache: VocabularyCache;

  constructor(
    private readonly db: Db,
    private readonly dialect: SearchDialect,
  ) {
    this.cache = new VocabularyCache((storeId) => this.loadVocabulary(storeId));
  }

  async vocabulary(storeId: string): Promise<SearchVocabulary> {
    return (await this.cache.get(storeId)).vocabulary;
  }

  async search(q: ProductQuery): Promise<ProductPage> {
    if (q.statuses.length === 0 || q.categoryIds?.length === 0) return { items: [], nextCursor: null };
    const prepared = q.q ? prepareQuery(q.q, (await this.cache.get(q.storeId)).index) : undefined;
    const terms = prepared?.terms ?? [];
    const order = orderOf(q, terms.length > 0);
    let ids = await this.find(q, terms, order);
    const relaxed = ids.length === 0 && prepared ? relaxQuery(prepared) : undefined;
    if (relaxed) ids = await this.find(q, relaxed.terms, order);

    const items = await loadProducts(this.db, ids.slice(0, q.limit));
    const last = items.at(-1);
    if (ids.length <= q.limit || !last) return { items, nextCursor: null };
    const next =
      order.by === 'relevance'
        ? { o: order.offset + q.limit }
        : { k: order.by === 'price' ? last.minPrice : last.createdAt.getTime(), id: last.id };
    return { items, nextCursor: encodeCursor(next) };
  }

  private find(q: ProductQuery, terms: SearchTerm[], order: SearchOrder): Promise<string[]> {
    return this.dialect.findIds(planOf(q, terms, order));
  }

  private async loadVocabulary(storeId: string): Promise<SearchVocabulary> {
    const [words, categories, optionRows] = await Promise.all([
      this.catalogWords(storeId),
      this.db.category.findMany({
        where: { storeId },
        select: { slug: true, name: true },
        orderBy: [{ position: 'asc' }, { name: 'asc' }],
      }),
      this.dialect.optionValues(storeId),
    ]);
    const options: Record<string, string[]> = {};
    for (const { name, value } of optionRows) (options[name] ??= []).push(value);
    return { options, categories, words };
  }

  /**
   * The words of the store's active products, most frequent first. Read and
   * counted in chunks, yielding between them: at 100,000 products the whole
   * takes seconds, and searches (on SQLite's one connection, and on this
   * process's event loop) must not wait for it.
   */
  private async catalogWords(storeId: string): Promise<string[]> {
    const counter = new WordCounter();
    let after: { createdAt: Date; productId: string } | undefined;
    for (;;) {
      const keyset = after ? sql`AND (s."createdAt", s."productId") > (${after.createdAt}, ${after.productId})` : empty;
      const rows = await this.db.$queryRaw<{ createdAt: Date; productId: string; searchText: string }[]>`
        SELECT s."createdAt" AS "createdAt", s."productId" AS "productId", p."searchText" AS "searchText"
        FROM "ProductSearchDoc" s JOIN "Product" p ON p."id" = s."productId"
        WHERE s."storeId" = ${storeId} AND s."status" = 'active' ${keyset}
        ORDER BY s."createdAt", s."productId" LIMIT ${VOCABULARY_CHUNK}`;
      for (const r of rows) counter.add(splitWords(r.searchText));
      after = rows.at(-1);
      if (!after || rows.length < VOCABULARY_CHUNK) return counter.top();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
