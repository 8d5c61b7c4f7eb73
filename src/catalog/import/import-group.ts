/**
 * Validation and grouping of import rows (pure: no I/O). Rows come from
 * import-csv.ts (one per CSV line) or import-json.ts (one per variant of each
 * product). Rows with the same slug form one product. Product fields (title,
 * description, status, category, tags, images, option names) may be given on
 * one row and left blank on the others; a row that gives a different value
 * from an earlier row of the same product is refused as a conflict rather
 * than silently overridden.
 */
import type { ProductStatus } from '../catalog.types.ts';
import type { ImageInput, ImportError, RowRef } from './import.ports.ts';

export const MAX_IMPORT_ROWS = 50_000;

/** Product-level fields; undefined = not given (kept as is, or the default for a new product). */
export interface ProductFields {
  title?: string | undefined;
  description?: string | undefined;
  status?: ProductStatus | undefined;
  /** Category slug, name or id; null removes the category. */
  category?: string | null | undefined;
  tags?: string[] | undefined;
  images?: ImageInput[] | undefined;
  option1Name?: string | undefined;
  option2Name?: string | undefined;
  option3Name?: string | undefined;
}

/** Variant fields; undefined = not given. */
export interface VariantFields {
  sku: string;
  title?: string | undefined;
  /** JSON: the whole option map. */
  options?: Record<string, string> | undefined;
  /** CSV: option1_value … option3_value, named by the product's optionN_name. */
  optionValues?: (string | undefined)[] | undefined;
  price?: number | undefined;
  compareAtPrice?: number | null | undefined;
  weightGrams?: number | null | undefined;
  onHand?: number | undefined;
}

export interface ImportRow {
  ref: RowRef;
  slug: string;
  product: ProductFields;
  variant: VariantFields;
}

/** What a parser hands over: good rows, refused rows, or a problem with the whole body. */
export interface ParsedImport {
  rows: ImportRow[];
  errors: ImportError[];
  /** Data rows read (CSV records, or JSON variants). */
  total: number;
  fatal?: ImportError | undefined;
}

export interface ProductGroup {
  slug: string;
  fields: ProductFields;
  rows: ImportRow[];
}

export interface ImportCounts {
  products: { created: number; updated: number; unchanged: number };
  variants: { created: number; updated: number; unchanged: number };
  categories: { created: number };
}

const fieldColumns: Record<keyof ProductFields, string> = {
  title: 'title',
  description: 'description',
  status: 'status',
  category: 'category',
  tags: 'tags',
  images: 'images',
  option1Name: 'option1_name',
  option2Name: 'option2_name',
  option3Name: 'option3_name',
};

/** "line 12", or "product 3, variant 2" for JSON bodies. */
export function describeRef(ref: RowRef): string {
  return ref.variant === undefined ? `line ${ref.line}` : `product ${ref.line}, variant ${ref.variant}`;
}

export const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
export const sameOptions = (a: Record<string, string>, b: Record<string, string>) =>
  same(
    Object.entries(a).sort(([x], [y]) => x.localeCompare(y)),
    Object.entries(b).sort(([x], [y]) => x.localeCompare(y)),
  );

/** Groups rows into products; refuses repeated SKUs and rows whose product fields contradict earlier rows. */
export function groupRows(rows: ImportRow[]): { groups: ProductGroup[]; errors: ImportError[] } {
  const groups = new Map<string, ProductGroup & { origin: Map<string, RowRef> }>();
  const skuSeen = new Map<string, RowRef>();
  const errors: ImportError[] = [];
  for (const row of rows) {
    const ref: RowRef = { ...row.ref, sku: row.variant.sku };
    const seen = skuSeen.get(row.variant.sku);
    if (seen) {
      errors.push({ ...ref, field: 'sku', reason: `SKU "${row.variant.sku}" already appears at ${describeRef(seen)}` });
      continue;
    }
    skuSeen.set(row.variant.sku, ref);
    const group = groups.get(row.slug) ?? { slug: row.slug, fields: {}, rows: [], origin: new Map<string, RowRef>() };
    const conflicts = fieldConflicts(group, row, ref);
    if (conflicts.length) {
      errors.push(...conflicts);
      continue;
    }
    for (const key of Object.keys(row.product) as (keyof ProductFields)[]) {
      if (row.product[key] === undefined || group.fields[key] !== undefined) continue;
      Object.assign(group.fields, { [key]: row.product[key] });
      group.origin.set(key, ref);
    }
    group.rows.push(row);
    groups.set(row.slug, group);
  }
  return { groups: [...groups.values()].map(({ slug, fields, rows: r }) => ({ slug, fields, rows: r })), errors };
}

function fieldConflicts(group: ProductGroup & { origin: Map<string, RowRef> }, row: ImportRow, ref: RowRef): ImportError[] {
  const out: ImportError[] = [];
  for (const key of Object.keys(row.product) as (keyof ProductFields)[]) {
    const mine = row.product[key];
    const theirs = group.fields[key];
    if (mine === undefined || theirs === undefined || same(mine, theirs)) continue;
    const origin = group.origin.get(key);
    out.push({
      ...ref,
      field: fieldColumns[key],
      reason: `${fieldColumns[key]} differs from the one given at ${origin ? describeRef(origin) : 'an earlier row'} for product "${group.slug}"; leave it blank or repeat it exactly`,
    });
  }
  return out;
}
