/**
 * JSON catalog import: a body that is an array of products, each exactly like
 * POST /products takes it (prices in integer minor units), or
 * { "products": [...] }. The HTTP layer passes its NewProductSchema as the
 * validator, so both routes accept the same products (this module may not
 * import src/http). Each product is validated on its own, so one bad
 * product does not hide the others; `line` is the product's 1-based index and
 * `variant` the variant's. Fields left out are kept as they are on existing
 * products and variants (onHand too); the store currency applies.
 */
import { slugify } from '../../shared/ids.ts';
import type { NewProduct } from '../catalog.types.ts';
import type { ImportError, ProductValidator } from './import.ports.ts';
import { MAX_IMPORT_ROWS, type ImportRow, type ParsedImport } from './import-group.ts';

export function parseJsonImport(body: unknown, validate: ProductValidator): ParsedImport {
  const items = Array.isArray(body) ? body : isProductsEnvelope(body) ? body.products : null;
  if (!items)
    return {
      rows: [],
      errors: [],
      total: 0,
      fatal: { line: 0, reason: 'The body must be a JSON array of products (or { "products": [...] })' },
    };
  const total = items.reduce<number>((n, item) => n + variantCount(item), 0);
  if (total > MAX_IMPORT_ROWS)
    return { rows: [], errors: [], total, fatal: { line: 0, reason: `At most ${MAX_IMPORT_ROWS} variants per import` } };

  const rows: ImportRow[] = [];
  const errors: ImportError[] = [];
  items.forEach((item, i) => {
    const line = i + 1;
    const parsed = validate(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(issueError(line, issue.path, issue.message));
      return;
    }
    const p = parsed.data;
    const slug = p.slug ?? slugify(p.title);
    if (!slug) {
      errors.push({ line, field: 'slug', reason: 'The title gives no usable slug; pass "slug"' });
      return;
    }
    rows.push(...productRows(line, slug, p, errors));
  });
  return { rows, errors, total };
}

function productRows(line: number, slug: string, p: NewProduct, errors: ImportError[]): ImportRow[] {
  const product = {
    title: p.title,
    description: p.description,
    status: p.status,
    category: p.category,
    tags: p.tags,
    images: p.images?.map((img) => ({ url: img.url, alt: img.alt ?? '' })),
  };
  const rows: ImportRow[] = [];
  p.variants.forEach((v, j) => {
    const ref = { line, variant: j + 1, sku: v.sku };
    if (v.bundle) {
      errors.push({ ...ref, field: 'bundle', reason: 'Bundles cannot be imported; create them with POST /api/v1/stores/{store}/products' });
      return;
    }
    rows.push({
      ref: { line, variant: j + 1 },
      slug,
      product,
      variant: {
        sku: v.sku,
        title: v.title,
        options: v.options,
        price: v.price,
        compareAtPrice: v.compareAtPrice,
        weightGrams: v.weightGrams,
        onHand: v.onHand,
      },
    });
  });
  return rows;
}

function isProductsEnvelope(body: unknown): body is { products: unknown[] } {
  return typeof body === 'object' && body !== null && 'products' in body && Array.isArray(body.products);
}

function variantCount(item: unknown): number {
  if (typeof item === 'object' && item !== null && 'variants' in item && Array.isArray(item.variants))
    return Math.max(1, item.variants.length);
  return 1;
}

function issueError(line: number, path: PropertyKey[], message: string): ImportError {
  if (path[0] === 'variants' && typeof path[1] === 'number') {
    return { line, variant: path[1] + 1, field: path.slice(2).map(String).join('.') || 'variants', reason: message };
  }
  return { line, field: path.map(String).join('.') || undefined, reason: message };
}
