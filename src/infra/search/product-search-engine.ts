import type { Db } from '../db/client.ts';
import { prepareQuery, relaxQuery, type SearchTerm } from '../../search/query-prep.ts';
import { wordsOf } from '../../search/query-text.ts';
import type { ProductPage, ProductQuery, ProductSearch, SearchVocabulary } from '../../search/search.ports.ts';
import { VocabularyCache, wordsByFrequency } from '../../search/vocabulary-cache.ts';
import { encodeCursor } from '../prisma/cursor.ts';
import { productInclude, toProduct } from '../prisma/product-mapper.ts';
import { orderOf, planOf, type SearchDialect, type SearchOrder } from './search-plan.ts';

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

    const page = ids.slice(0, q.limit);
    const rows = page.length ? await this.db.product.findMany({ where: { id: { in: page } }, include: productInclude }) : [];
    const byId = new Map(rows.map((r) => [r.id, toProduct(r)]));
    const items = page.flatMap((id) => byId.get(id) ?? []);
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
    const [products, categories, optionRows] = await Promise.all([
      this.db.product.findMany({ where: { storeId, status: 'active' }, select: { searchText: true } }),
      this.db.category.findMany({ where: { storeId }, select: { slug: true, name: true }, orderBy: [{ position: 'asc' }, { name: 'asc' }] }),
      this.dialect.optionValues(storeId),
    ]);
    const options: Record<string, string[]> = {};
    for (const { name, value } of optionRows) (options[name] ??= []).push(value);
    return { options, categories, words: wordsByFrequency(products.map((p) => wordsOf(p.searchText))) };
  }
}
