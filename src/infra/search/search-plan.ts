import type { SearchTerm } from '../../search/query-prep.ts';
import { asciiLower, wordsOf } from '../../search/query-text.ts';
import type { ProductQuery } from '../../search/search.ports.ts';
import { decodeCursorValue, invalidCursor } from '../prisma/cursor.ts';

/**
 * Relevance ranks at most this many matches: the most recently added ones
 * that pass the filters. Beyond that a shopper refines the query; ranking
 * every product that says "hoodie" in a catalog of 100,000 costs more than
 * a chat reply may take.
 */
export const RELEVANCE_WINDOW = 1000;

export interface Keyset {
  /** minPrice, or createdAt in epoch ms. */
  k: number;
  id: string;
}

export type SearchOrder =
  | { by: 'relevance'; offset: number }
  | { by: 'price'; dir: 'asc' | 'desc'; after?: Keyset | undefined }
  | { by: 'newest'; after?: Keyset | undefined };

/** One search, resolved into what a database dialect turns into SQL. */
export interface SearchPlan {
  storeId: string;
  statuses: string[];
  categoryIds?: string[] | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  /** Option name → accepted values, both ASCII lower case; no empty lists. */
  options?: Record<string, string[]> | undefined;
  /** Terms matched word by word (full-text index); all must match. */
  wordTerms: SearchTerm[];
  /** Texts the product's searchText must contain (scripts without spaces). */
  substrings: string[];
  /**
   * The option filter's values as words, one term per option name: a product
   * with a matching variant has them in its searchText, so these narrow the
   * candidates through the full-text index before the exact check on
   * Variant.options. A prefilter only: results are the same without it.
   */
  optionTerms: SearchTerm[];
  order: SearchOrder;
  /** Rows to return: one more than the page, to know whether another follows. */
  take: number;
}

/** What each database implements; everything else is shared. */
export interface SearchDialect {
  /** Ids of the matching products, in order. */
  findIds(plan: SearchPlan): Promise<string[]>;
  /** Option names (ASCII lower case) and values of a store's active products, by name, then first position. */
  optionValues(storeId: string): Promise<{ name: string; value: string }[]>;
}

export function orderOf(q: ProductQuery, textual: boolean): SearchOrder {
  if (q.sort === 'relevance' && textual) return { by: 'relevance', offset: q.cursor === undefined ? 0 : decodeOffset(q.cursor) };
  const after = q.cursor === undefined ? undefined : decodeKeyset(q.cursor);
  if (q.sort === 'price_asc' || q.sort === 'price_desc') return { by: 'price', dir: q.sort === 'price_asc' ? 'asc' : 'desc', after };
  return { by: 'newest', after };
}

export function planOf(q: ProductQuery, terms: SearchTerm[], order: SearchOrder): SearchPlan {
  const wordTerms = terms.filter((t) => t.alternatives.some((a) => a.kind === 'words'));
  const substrings = terms.flatMap((t) => t.alternatives.flatMap((a) => (a.kind === 'substring' ? [a.text] : [])));
  const options = normalizeOptions(q.options);
  return {
    storeId: q.storeId,
    statuses: q.statuses,
    categoryIds: q.categoryIds,
    minPrice: q.minPrice,
    maxPrice: q.maxPrice,
    options,
    wordTerms,
    substrings,
    optionTerms: optionTermsOf(options),
    order,
    take: q.limit + 1,
  };
}

function optionTermsOf(options: Record<string, string[]> | undefined): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const [name, values] of Object.entries(options ?? {})) {
    const phrases = values.map((v) => wordsOf(v));
    // A value with no words (e.g. "-") cannot be looked up by word: no prefilter for that option.
    if (phrases.some((p) => p.length === 0)) continue;
    terms.push({ source: name, alternatives: phrases.map((words) => ({ kind: 'words', words, prefix: false })), known: true });
  }
  return terms;
}

function normalizeOptions(options: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  if (!options) return undefined;
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(options)) {
    const vals = [...new Set(values.map((v) => asciiLower(v.trim())))].filter((v) => v.length > 0);
    if (vals.length > 0) out[asciiLower(name.trim())] = [...(out[asciiLower(name.trim())] ?? []), ...vals];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function decodeOffset(cursor: string): number {
  const v = decodeCursorValue(cursor);
  if (typeof v === 'object' && v !== null && 'o' in v && typeof v.o === 'number' && Number.isSafeInteger(v.o) && v.o >= 0) return v.o;
  throw invalidCursor();
}

function decodeKeyset(cursor: string): Keyset {
  const v = decodeCursorValue(cursor);
  if (
    typeof v === 'object' &&
    v !== null &&
    'k' in v &&
    'id' in v &&
    typeof v.k === 'number' &&
    Number.isFinite(v.k) &&
    typeof v.id === 'string'
  ) {
    return { k: v.k, id: v.id };
  }
  throw invalidCursor();
}
