import type { ProductRecord } from '../catalog/catalog.types.ts';

export const productSorts = ['relevance', 'price_asc', 'price_desc', 'newest'] as const;
export type ProductSort = (typeof productSorts)[number];

export interface ProductQuery {
  storeId: string;
  q?: string | undefined;
  /** Category ids to match (a category and its descendants). */
  categoryIds?: string[] | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  /**
   * Variant option filters, e.g. { colour: ['red'], size: ['M'] }: a product
   * matches when one of its variants matches every key (any of the key's
   * values). Names and values are compared ignoring (ASCII) case.
   */
  options?: Record<string, string[]> | undefined;
  sort: ProductSort;
  limit: number;
  cursor?: string | undefined;
  /** Admin listings may ask for drafts and archived products too. */
  statuses: string[];
}

export interface ProductPage {
  items: ProductRecord[];
  nextCursor: string | null;
}

/** What a local intent parser needs to read a shopper's message against one store's catalog. */
export interface SearchVocabulary {
  /** Option names (lower case) with their values as sellers wrote them, e.g. { size: ['S', 'M', 'L'] }. */
  options: Record<string, string[]>;
  categories: { slug: string; name: string }[];
  /** The words of the store's active products, most frequent first (typo correction). */
  words: string[];
}

/**
 * Product search: full-text with typo tolerance and synonyms, filters,
 * sorts and cursors. One implementation per database sits in
 * src/infra/search (SQLite FTS5, PostgreSQL tsvector + pg_trgm), held to the
 * same expectations by the same tests.
 */
export interface ProductSearch {
  search(q: ProductQuery): Promise<ProductPage>;
  /** Derived from the catalog and cached briefly; a few seconds stale at most. */
  vocabulary(storeId: string): Promise<SearchVocabulary>;
}
