import type { CategoryRepository } from '../catalog/catalog.ports.ts';
import { AppError } from '../shared/errors.ts';
import type { ProductPage, ProductQuery, ProductSearch } from './search.ports.ts';
import type { SearchReranker } from './semantic/semantic.ports.ts';

export type ProductListInput = Omit<ProductQuery, 'categoryIds'> & { category?: string | undefined };

export class SearchService {
  constructor(
    private readonly search: ProductSearch,
    private readonly categories: CategoryRepository,
    /** Semantic re-ranking of a first page of relevance results (with OPENAI_API_KEY); full-text order without. */
    private readonly reranker?: SearchReranker,
  ) {}

  /** Option values, categories and words of a store's catalog, for intent parsing. */
  vocabulary(storeId: string) {
    return this.search.vocabulary(storeId);
  }

  async products(input: ProductListInput): Promise<ProductPage> {
    const { category, ...rest } = input;
    if (input.minPrice !== undefined && input.maxPrice !== undefined && input.minPrice > input.maxPrice) {
      throw new AppError('VALIDATION_FAILED', 'minPrice is greater than maxPrice');
    }
    let categoryIds: string[] | undefined;
    if (category) {
      const all = await this.categories.list(input.storeId);
      const root = all.find((c) => c.slug === category || c.id === category);
      if (!root) return { items: [], nextCursor: null };
      categoryIds = descendants(root.id, all);
    }
    const q = input.q?.trim() || undefined;
    const page = await this.search.search({ ...rest, categoryIds, q });
    // Only a first page is reordered, within itself, so cursors stay exact.
    if (!this.reranker || !q || input.sort !== 'relevance' || input.cursor !== undefined) return page;
    return { ...page, items: await this.reranker.rerank(input.storeId, q, page.items) };
  }
}

function descendants(rootId: string, all: { id: string; parentId: string | null }[]): string[] {
  const out = [rootId];
  for (let i = 0; i < out.length; i++) {
    for (const c of all) if (c.parentId === out[i] && !out.includes(c.id)) out.push(c.id);
  }
  return out;
}
