/**
 * Catalog import benchmark: 10,000-row CSV files through
 * POST /api/v1/stores/:store/products/import (app.request, no network), on
 * SQLite always and on PostgreSQL when TEST_DATABASE_URL is set (a fresh
 * schema, dropped afterwards).
 *
 *   npx tsx bench/import.bench.ts
 *
 * Scenarios, each on its own store:
 *   100 × 100     100 products with 100 variants each: first import, a
 *                 re-import changing every price and stock level, and an
 *                 identical re-import (nothing to write).
 *   10,000 × 1    10,000 single-variant products: first import and a
 *                 re-import changing every price.
 *
 * Target: every run within TARGET_MS (a seller waits for the answer). A miss
 * is reported (MISS); it does not fail the process.
 */
import { adminHeaders, createTestApp, databases, type DbKind, type TestApp } from '../test/helpers/test-app.ts';

const TARGET_MS = 5_000;
const ROWS = 10_000;

interface Run {
  database: DbKind;
  scenario: string;
  ms: number;
  status: number;
  summary: string;
}

const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

function csv(products: number, variantsEach: number, price: (i: number) => number, stock: (i: number) => number): string {
  const lines = ['handle,title,description,category,tags,sku,option1_name,option1_value,price,stock'];
  for (let p = 0; p < products; p++) {
    for (let v = 0; v < variantsEach; v++) {
      const i = p * variantsEach + v;
      const productCells = v === 0 ? `Product ${p},"Bench product ${p}, made for timing",Category ${p % 20},bench|tag-${p % 7}` : ',,,';
      lines.push(`bench-${p},${productCells},B-${p}-${v},size,S${v},${money(price(i))},${stock(i)}`);
    }
  }
  return lines.join('\n');
}

async function timed(t: TestApp, database: DbKind, store: string, scenario: string, body: string): Promise<Run> {
  const start = performance.now();
  const res = await t.app.request(`/api/v1/stores/${store}/products/import`, {
    method: 'POST',
    headers: { ...adminHeaders, 'content-type': 'text/csv' },
    body,
  });
  const ms = performance.now() - start;
  const report = (await res.json()) as {
    products?: Record<string, number>;
    variants?: Record<string, number>;
    errors?: unknown[];
    error?: unknown;
  };
  const summary = `products ${JSON.stringify(report.products)} variants ${JSON.stringify(report.variants)} errors ${report.errors?.length ?? JSON.stringify(report.error)}`;
  return { database, scenario, ms, status: res.status, summary };
}

async function benchDatabase(kind: DbKind): Promise<Run[]> {
  const t = await createTestApp(kind);
  try {
    for (const slug of ['grid', 'flat']) {
      const r = await t.call('POST', '/api/v1/stores', { slug, name: slug, currency: 'EUR' }, adminHeaders);
      if (r.status !== 201) throw new Error(`could not create store ${slug}: ${r.status}`);
    }
    const runs: Run[] = [];
    const grid = csv(
      100,
      100,
      (i) => 1000 + i,
      (i) => i % 50,
    );
    runs.push(await timed(t, kind, 'grid', '100 × 100 first import', grid));
    runs.push(
      await timed(
        t,
        kind,
        'grid',
        '100 × 100 re-import, all prices and stock changed',
        csv(
          100,
          100,
          (i) => 2000 + i,
          (i) => (i % 50) + 1,
        ),
      ),
    );
    runs.push(
      await timed(
        t,
        kind,
        'grid',
        '100 × 100 re-import, nothing changed',
        csv(
          100,
          100,
          (i) => 2000 + i,
          (i) => (i % 50) + 1,
        ),
      ),
    );
    runs.push(
      await timed(
        t,
        kind,
        'flat',
        '10,000 × 1 first import',
        csv(
          ROWS,
          1,
          (i) => 500 + i,
          () => 3,
        ),
      ),
    );
    runs.push(
      await timed(
        t,
        kind,
        'flat',
        '10,000 × 1 re-import, all prices changed',
        csv(
          ROWS,
          1,
          (i) => 600 + i,
          () => 3,
        ),
      ),
    );
    return runs;
  } finally {
    await t.close();
  }
}

function print(runs: Run[]): void {
  const rows = runs.map((r) => [
    r.database,
    r.scenario,
    String(r.status),
    `${Math.round(r.ms)} ms`,
    `${Math.round((ROWS * 1000) / r.ms).toLocaleString('en')} rows/s`,
    r.status === 200 && r.ms <= TARGET_MS ? 'PASS' : 'MISS',
  ]);
  const head = ['database', 'scenario', 'status', 'elapsed', 'throughput', `<= ${TARGET_MS} ms`];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const r of runs) console.log(`  ${r.database} / ${r.scenario}: ${r.summary}`);
}

const all: Run[] = [];
for (const kind of databases) all.push(...(await benchDatabase(kind)));
if (!process.env.TEST_DATABASE_URL) console.log('PostgreSQL skipped: TEST_DATABASE_URL not set');
print(all);
