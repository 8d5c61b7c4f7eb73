import type { LoadResult } from './load-spec.ts';

export interface Target {
  /** p99 latency at or under which the row passes, ms. */
  p99Ms: number;
}

export interface Row {
  database: string;
  scenario: string;
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  rps: number;
  target: Target;
  errorSamples: string[];
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function toRow(database: string, scenario: string, r: LoadResult, target: Target): Row {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    database,
    scenario,
    requests: sorted.length,
    errors: r.errors,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    rps: r.elapsedMs > 0 ? (sorted.length * 1000) / r.elapsedMs : 0,
    target,
    errorSamples: r.errorSamples,
  };
}

/** A row passes when its p99 meets the target and no request failed. */
export const passes = (r: Row) => r.requests > 0 && r.errors === 0 && r.p99 <= r.target.p99Ms;

const HEAD = ['database', 'scenario', 'requests', 'errors', 'p50 ms', 'p99 ms', 'req/s', 'target p99', 'result'];

function cells(r: Row): string[] {
  return [
    r.database,
    r.scenario,
    String(r.requests),
    String(r.errors),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.rps.toFixed(0),
    `<= ${r.target.p99Ms}`,
    passes(r) ? 'PASS' : 'MISS',
  ];
}

export function formatTable(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((c) => c[i]?.length ?? 0)));
  const numeric = (i: number) => i >= 2 && i <= 6;
  const line = (c: string[]) => c.map((s, i) => (numeric(i) ? s.padStart(widths[i] ?? 0) : s.padEnd(widths[i] ?? 0))).join('  ');
  const out = [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  for (const r of rows) {
    if (r.errorSamples.length) out.push(`  ${r.database} ${r.scenario} errors: ${r.errorSamples.join('; ')}`);
  }
  return out.join('\n');
}
