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

/**
 * Product search. One implementation per database sits in src/infra; the
 * conversation issue brings full-text (FTS5 / tsvector) behind this same port.
 */
export interface ProductSearch {
  search(q: ProductQuery): Promise<ProductPage>;
}
