import type { ProductSort } from '../../search/search.ports.ts';

export interface SearchRequest {
  /** Words left after filters were taken out ("" lists everything that matches the filters). */
  q: string;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  sort: ProductSort;
  category?: string | undefined;
  options?: Record<string, string[]> | undefined;
  /** Human summary of the filters understood, e.g. "≤ €60.00, size M". */
  filterLabels: string[];
}

/** Which product "those", "it" or "the second one" means. */
export type ProductRef = { kind: 'focus' } | { kind: 'index'; index: number } | { kind: 'search'; request: SearchRequest };

export type Intent =
  | { kind: 'greet' }
  | { kind: 'help' }
  | { kind: 'categories' }
  | { kind: 'cart' }
  | { kind: 'checkout' }
  | { kind: 'orders' }
  | { kind: 'more' }
  | { kind: 'popular' }
  | { kind: 'recommend' }
  | { kind: 'compare'; request: SearchRequest | null }
  | { kind: 'add'; quantity: number; ref: ProductRef }
  | { kind: 'remove'; query: string }
  | { kind: 'setQuantity'; query: string | null; quantity: number }
  | { kind: 'search'; request: SearchRequest };

/** What the parser knows about the shop: option values and categories. */
export interface ParseContext {
  currency: string;
  options: Record<string, string[]>;
  categories: { slug: string; name: string }[];
}
