/**
 * CSV catalog import: text -> rows with line numbers (the header is line 1).
 *
 * Columns (header names are case-insensitive; order is free; unknown columns
 * are refused so that a misspelt column never silently does nothing):
 *
 *   handle            product slug (alias: slug); default: the slugified title.
 *                     Rows with the same handle are variants of one product.
 *   title             product title (required for a new product)
 *   description       product description
 *   status            active | draft | archived (default active)
 *   category          category slug or name; created when missing
 *   tags              tags separated by |            e.g. winter|cotton
 *   images            image URLs separated by |      (replace the product's images)
 *   sku               variant SKU (required on every row; unique in the store)
 *   variant_title     variant title, e.g. "Red / M"
 *   option1_name      option name, e.g. size       (product-level, like title)
 *   option1_value     option value, e.g. M
 *   option2_name / option2_value / option3_name / option3_value
 *   price             decimal in the store currency, e.g. 24.90 (required for a new variant)
 *   compare_at_price  decimal; a blank cell removes it
 *   weight_grams      whole grams; a blank cell removes it
 *   stock             on-hand units (never below what unpaid orders hold)
 *   currency          optional; must be the store currency when given
 *
 * A blank cell means "leave as it is" (or the default for a new product or
 * variant), except compare_at_price and weight_grams, where it means none.
 * Product fields (title … images, optionN_name) may be given on the first row
 * of a product only; later rows may leave them blank or repeat them exactly.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { slugify } from '../../shared/ids.ts';
import { parseDecimal } from '../../shared/money.ts';
import { productStatuses, type ProductStatus } from '../catalog.types.ts';
import type { ImportError } from './import.ports.ts';
import { MAX_IMPORT_ROWS, type ImportRow, type ParsedImport, type ProductFields, type VariantFields } from './import-group.ts';

export const csvColumns = [
  'handle',
  'slug',
  'title',
  'description',
  'status',
  'category',
  'tags',
  'images',
  'sku',
  'variant_title',
  'option1_name',
  'option1_value',
  'option2_name',
  'option2_value',
  'option3_name',
  'option3_value',
  'price',
  'compare_at_price',
  'weight_grams',
  'stock',
  'currency',
] as const;
type Column = (typeof csvColumns)[number];

const MAX_PRICE = 2_000_000_000;
const skuPattern = /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/;
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const urlSchema = z.url().max(2000);

class RowErrors extends Error {
  constructor(readonly issues: { field: string; reason: string }[]) {
    super('row refused');
  }
}

export function parseCsv(text: string, currency: string): ParsedImport {
  let records: NumberedRecord[];
  try {
    const parsed: unknown[] = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      raw: true,
      to: MAX_IMPORT_ROWS + 2,
    });
    records = numberLines(parsed.filter(isCsvRecord), lineBreakOf(text));
  } catch (err) {
    const line = err instanceof CsvError && typeof err['lines'] === 'number' ? err['lines'] : 0;
    return {
      rows: [],
      errors: [],
      total: 0,
      fatal: { line, reason: `The CSV cannot be read: ${err instanceof Error ? err.message : String(err)}` },
    };
  }
  const [head, ...body] = records;
  if (!head)
    return { rows: [], errors: [], total: 0, fatal: { line: 1, reason: 'The CSV is empty; the first line must name the columns' } };
  if (body.length > MAX_IMPORT_ROWS)
    return { rows: [], errors: [], total: body.length, fatal: { line: 0, reason: `At most ${MAX_IMPORT_ROWS} rows per import` } };
  const header = readHeader(head.record);
  if (typeof header === 'string') return { rows: [], errors: [], total: body.length, fatal: { line: head.line, reason: header } };

  const rows: ImportRow[] = [];
  const errors: ImportError[] = [];
  for (const rec of body) {
    const line = rec.line;
    const cells = new Map<Column, string>();
    header.forEach((col, i) => cells.set(col, (rec.record[i] ?? '').trim()));
    const sku = cells.get('sku') || undefined;
    if (rec.record.length !== header.length) {
      errors.push({ line, sku, reason: `This line has ${rec.record.length} cells but the header names ${header.length} columns` });
      continue;
    }
    try {
      rows.push({ ref: { line }, ...readRow(cells, currency) });
    } catch (err) {
      if (!(err instanceof RowErrors)) throw err;
      for (const i of err.issues) errors.push({ line, sku, field: i.field, reason: i.reason });
    }
  }
  return { rows, errors, total: body.length };
}

/** What csv-parse gives per record with `info` and `raw` (its typings only know plain arrays). */
interface CsvRecord {
  record: string[];
  raw: string;
}

type NumberedRecord = CsvRecord & { line: number };

function isCsvRecord(x: unknown): x is CsvRecord {
  return typeof x === 'object' && x !== null && 'record' in x && Array.isArray(x.record) && 'raw' in x && typeof x.raw === 'string';
}

/**
 * The line each record starts on (header = 1). Counted from the raw text
 * rather than csv-parse's info.lines, which counts a CRLF inside a quoted
 * cell twice. Each raw record holds the empty lines skipped before it; with
 * CRLF line ends csv-parse leaves the LF out of it, so CRs are counted there.
 */
function lineBreakOf(text: string): string {
  if (text.includes('\r\n')) return '\r';
  return text.includes('\n') ? '\n' : '\r';
}

function numberLines(records: CsvRecord[], lineBreak: string): NumberedRecord[] {
  const breaks = (s: string) => s.split(lineBreak).length - 1;
  let before = 0;
  return records.map((rec) => {
    const leading = /^\s*/.exec(rec.raw)?.[0] ?? '';
    const line = before + 1 + breaks(leading);
    before += breaks(rec.raw);
    return { ...rec, line };
  });
}

function readHeader(names: string[]): Column[] | string {
  const cols = names.map((n) => n.trim().toLowerCase().replace(/\s+/g, '_'));
  const unknown = cols.filter((c) => !(csvColumns as readonly string[]).includes(c));
  if (unknown.length) {
    const bundle = unknown.some((c) => c.includes('bundle'))
      ? ' Bundles cannot be imported; create them with POST /api/v1/stores/{store}/products.'
      : '';
    return `Unknown column(s): ${unknown.join(', ')}. Known columns: ${csvColumns.join(', ')}.${bundle}`;
  }
  const dupes = cols.filter((c, i) => cols.indexOf(c) !== i);
  if (dupes.length) return `Column(s) given twice: ${[...new Set(dupes)].join(', ')}`;
  if (cols.includes('handle') && cols.includes('slug')) return 'Give either a handle or a slug column, not both';
  if (!cols.includes('sku')) return 'The header needs a sku column';
  if (!cols.includes('handle') && !cols.includes('slug') && !cols.includes('title'))
    return 'The header needs a handle (or slug) or a title column';
  return cols as Column[];
}

function readRow(cells: Map<Column, string>, currency: string): Omit<ImportRow, 'ref'> {
  const issues: { field: string; reason: string }[] = [];
  const r = new CellReader(cells, issues);
  const product: ProductFields = {
    title: r.text('title', 200),
    description: r.text('description', 10_000),
    status: r.status(),
    category: r.text('category', 80),
    tags: r.list('tags', 30, 40),
    images: r.list('images', 20, 2000)?.map((url) => ({ url, alt: '' })),
    option1Name: r.text('option1_name', 40),
    option2Name: r.text('option2_name', 40),
    option3Name: r.text('option3_name', 40),
  };
  for (const img of product.images ?? [])
    if (!urlSchema.safeParse(img.url).success) issues.push({ field: 'images', reason: `"${img.url}" is not a URL` });
  const optionCols = (['option1_value', 'option2_value', 'option3_value'] as const).filter((c) => cells.has(c));
  const variant: VariantFields = {
    sku: r.sku(),
    title: r.text('variant_title', 200),
    optionValues: optionCols.length ? [r.text('option1_value', 80), r.text('option2_value', 80), r.text('option3_value', 80)] : undefined,
    price: r.money('price', currency) ?? undefined,
    compareAtPrice: r.money('compare_at_price', currency),
    weightGrams: r.int('weight_grams', 1_000_000),
    onHand: r.int('stock', 10_000_000) ?? undefined,
  };
  const given = cells.get('currency');
  if (given && given.toUpperCase() !== currency) {
    issues.push({ field: 'currency', reason: `Prices are in ${currency}, the store's currency; this row says ${given}` });
  }
  const slug = r.slug(product.title);
  if (issues.length) throw new RowErrors(issues);
  return { slug, product, variant };
}

/** Reads typed cells, collecting a human reason for each bad one. */
class CellReader {
  constructor(
    private readonly cells: Map<Column, string>,
    private readonly issues: { field: string; reason: string }[],
  ) {}

  private bad(field: string, reason: string): undefined {
    this.issues.push({ field, reason });
    return undefined;
  }

  text(col: Column, max: number): string | undefined {
    const v = this.cells.get(col);
    if (!v) return undefined;
    return v.length > max ? this.bad(col, `${col} is longer than ${max} characters`) : v;
  }

  list(col: Column, maxItems: number, maxLength: number): string[] | undefined {
    const v = this.cells.get(col);
    if (!v) return undefined;
    const items = v
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length > maxItems) return this.bad(col, `${col} holds ${items.length} items; at most ${maxItems}`);
    const long = items.find((s) => s.length > maxLength);
    return long ? this.bad(col, `"${long.slice(0, 50)}" in ${col} is longer than ${maxLength} characters`) : items;
  }

  status(): ProductStatus | undefined {
    const v = this.cells.get('status')?.toLowerCase();
    if (!v) return undefined;
    const s = productStatuses.find((x) => x === v);
    return s ?? this.bad('status', `status "${v}" is not one of ${productStatuses.join(', ')}`);
  }

  sku(): string {
    const v = this.cells.get('sku') ?? '';
    if (!v) this.bad('sku', 'sku is empty; every row is a variant and needs a SKU');
    else if (v.length > 64 || !skuPattern.test(v)) this.bad('sku', `sku "${v}" may hold letters, digits and . _ - / (at most 64)`);
    return v;
  }

  slug(title: string | undefined): string {
    const handle = this.cells.get('handle') || this.cells.get('slug');
    if (handle) {
      if (handle.length > 80 || !slugPattern.test(handle))
        this.bad('handle', `handle "${handle}" must be lower-case letters, digits and dashes`);
      return handle;
    }
    const slug = title ? slugify(title) : '';
    if (!slug) this.bad('handle', 'Give a handle, or a title that makes one');
    return slug;
  }

  /** Minor units; null when the cell is blank in a present column (none), undefined when the column is absent. */
  money(col: Column, currency: string): number | null | undefined {
    const v = this.cells.get(col);
    if (v === undefined) return undefined;
    if (v === '') return null;
    const minor = parseDecimal(v, currency);
    if (minor === null || minor > MAX_PRICE) return this.bad(col, `${col} "${v}" is not an amount in ${currency} (write it like 24.90)`);
    return minor;
  }

  int(col: Column, max: number): number | null | undefined {
    const v = this.cells.get(col);
    if (v === undefined) return undefined;
    if (v === '') return null;
    if (!/^\d+$/.test(v) || Number(v) > max) return this.bad(col, `${col} "${v}" must be a whole number from 0 to ${max}`);
    return Number(v);
  }
}
