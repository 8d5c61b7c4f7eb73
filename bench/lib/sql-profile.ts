/**
 * Where SQLite time goes (BENCH_SQL_PROFILE=1): wraps better-sqlite3's
 * statement run/all/get and exec in this process and sums wall time per SQL
 * text, so a benchmark can print which statements a turn spends its time in.
 */
import { createRequire } from 'node:module';

type Stats = { n: number; ms: number; max: number };
const bySql = new Map<string, Stats>();

export function profileSqlite(): { report(turns: number): string; reset(): void } {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as { prototype: Record<string, (...a: unknown[]) => unknown> };
  const note = (sql: string, ms: number) => {
    const key = sql.replace(/\s+/g, ' ').replace(/\?(, ?\?)+/g, '?…').slice(0, 160);
    const s = bySql.get(key) ?? { n: 0, ms: 0, max: 0 };
    s.n++;
    s.ms += ms;
    s.max = Math.max(s.max, ms);
    bySql.set(key, s);
  };
  const timed = (proto: Record<string, (...a: unknown[]) => unknown>, name: string, sqlOf: (self: unknown, args: unknown[]) => string) => {
    const orig = proto[name];
    if (!orig) return;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return orig.apply(this, args);
      } finally {
        note(sqlOf(this, args), performance.now() - t0);
      }
    };
  };
  const prepare = Database.prototype.prepare;
  let patched = false;
  Database.prototype.prepare = function (this: unknown, ...args: unknown[]) {
    const stmt = prepare?.apply(this, args) as object;
    if (!patched) {
      patched = true;
      const proto = Object.getPrototypeOf(stmt) as Record<string, (...a: unknown[]) => unknown>;
      for (const m of ['run', 'all', 'get']) timed(proto, m, (self) => (self as { source: string }).source);
    }
    return stmt;
  };
  timed(Database.prototype, 'exec', (_self, args) => String(args[0]));
  return {
    reset: () => bySql.clear(),
    report(turns: number) {
      const rows = [...bySql.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const total = rows.reduce((n, [, s]) => n + s.ms, 0);
      const count = rows.reduce((n, [, s]) => n + s.n, 0);
      const lines = [`SQLite: ${count} statements, ${total.toFixed(0)} ms; per turn ${(count / turns).toFixed(1)} statements, ${(total / turns).toFixed(2)} ms`];
      for (const [sql, s] of rows.slice(0, Number(process.env.BENCH_SQL_TOP ?? 25))) lines.push(`${s.ms.toFixed(0).padStart(6)} ms ${String(s.n).padStart(6)}× ${(s.ms / s.n).toFixed(3)} ms (max ${s.max.toFixed(1)})  ${sql}`);
      return lines.join('\n');
    },
  };
}
