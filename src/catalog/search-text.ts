import type { ProductRecord, ProductTranslations } from './catalog.types.ts';

interface Searchable {
  title: string;
  description?: string | undefined;
  tags?: string[] | undefined;
  category?: string | null | undefined;
  translations?: ProductTranslations | undefined;
  variants: { sku: string; title?: string | undefined; options?: Record<string, string> | undefined }[];
}

/** Lower-cased, accent-folded text a product is found by. */
export function buildSearchText(p: Searchable): string {
  const parts = [p.title, p.description ?? '', (p.tags ?? []).join(' '), p.category ?? ''];
  for (const tr of Object.values(p.translations ?? {})) parts.push(tr.title ?? '', tr.description ?? '');
  for (const v of p.variants) {
    parts.push(v.sku, v.title ?? '', ...Object.values(v.options ?? {}));
  }
  return normalizeForSearch(parts.join(' '));
}

export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function searchTextOf(p: ProductRecord): string {
  return buildSearchText({
    title: p.title,
    description: p.description,
    tags: p.tags,
    translations: p.translations,
    category: p.category?.name ?? null,
    variants: p.variants,
  });
}

export function minPriceOf(variants: { price: number }[]): number {
  return variants.length ? Math.min(...variants.map((v) => v.price)) : 0;
}
