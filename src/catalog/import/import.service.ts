import type { StoreRecord } from '../catalog.types.ts';
import { parseCsv } from './import-csv.ts';
import { parseJsonImport } from './import-json.ts';
import { groupRows, type ImportCounts, type ParsedImport } from './import-group.ts';
import { planImport } from './import-plan.ts';
import type { CatalogImportRepository, ImportError, ProductValidator } from './import.ports.ts';

export type ImportMode = 'atomic' | 'partial';

/** Errors listed in a report; the rest are counted (failedRows) but not listed. */
export const MAX_REPORTED_ERRORS = 1_000;

export interface ImportReport extends ImportCounts {
  mode: ImportMode;
  /** True when the good rows were written; false when nothing was (atomic mode with errors, or an unreadable body). */
  committed: boolean;
  /** Data rows read: CSV lines after the header, or JSON variants. */
  rows: number;
  failedRows: number;
  errors: ImportError[];
  errorsTruncated: boolean;
}

const zeroCounts = (): ImportCounts => ({
  products: { created: 0, updated: 0, unchanged: 0 },
  variants: { created: 0, updated: 0, unchanged: 0 },
  categories: { created: 0 },
});

/**
 * Bulk upsert of products (by slug) and variants (by SKU) from CSV or JSON.
 * `atomic` writes nothing when any row is bad; `partial` writes the good rows.
 * A report with committed: false is the route's cue to answer 422.
 */
export class CatalogImportService {
  constructor(private readonly repo: CatalogImportRepository) {}

  importCsv(store: StoreRecord, text: string, mode: ImportMode): Promise<ImportReport> {
    return this.run(store, parseCsv(text, store.currency), mode);
  }

  /** `validate` checks one product as POST /products would (the route passes NewProductSchema). */
  importJson(store: StoreRecord, body: unknown, mode: ImportMode, validate: ProductValidator): Promise<ImportReport> {
    return this.run(store, parseJsonImport(body, validate), mode);
  }

  private async run(store: StoreRecord, parsed: ParsedImport, mode: ImportMode): Promise<ImportReport> {
    if (parsed.fatal) return report(mode, false, parsed.total, parsed.total, [parsed.fatal], zeroCounts());
    const grouped = groupRows(parsed.rows);
    const existing = await this.repo.load(store.id, {
      slugs: grouped.groups.map((g) => g.slug),
      skus: grouped.groups.flatMap((g) => g.rows.map((r) => r.variant.sku)),
    });
    const planned = planImport(grouped.groups, existing, { currency: store.currency });
    const errors = [...parsed.errors, ...grouped.errors, ...planned.errors];
    const good = planned.counts.variants.created + planned.counts.variants.updated + planned.counts.variants.unchanged;
    if (mode === 'atomic' && errors.length) return report(mode, false, parsed.total, parsed.total - good, errors, zeroCounts());

    const applied = await this.repo.apply(store.id, planned.plan, { atomic: mode === 'atomic' });
    for (const c of applied.stockConflicts) {
      errors.push({
        ...c.ref,
        field: 'stock',
        reason: `${c.reserved} units of "${c.ref.sku ?? ''}" are now held by unpaid orders; stock cannot be set below that`,
      });
    }
    if (applied.conflict) errors.push({ line: 0, reason: applied.conflict });
    if (!applied.committed)
      return report(mode, false, parsed.total, parsed.total - good + applied.stockConflicts.length, errors, zeroCounts());
    return report(mode, true, parsed.total, parsed.total - good + applied.stockConflicts.length, errors, planned.counts);
  }
}

function report(
  mode: ImportMode,
  committed: boolean,
  rows: number,
  failedRows: number,
  errors: ImportError[],
  counts: ImportCounts,
): ImportReport {
  const sorted = [...errors].sort((a, b) => a.line - b.line || (a.variant ?? 0) - (b.variant ?? 0));
  return {
    mode,
    committed,
    rows,
    failedRows,
    ...counts,
    errors: sorted.slice(0, MAX_REPORTED_ERRORS),
    errorsTruncated: sorted.length > MAX_REPORTED_ERRORS,
  };
}
