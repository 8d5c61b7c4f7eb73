import type { Database, Statement } from 'better-sqlite3';

/** Distinct SQL texts kept prepared (IN lists of different lengths are different texts). */
const CACHE_SIZE = 500;

/** What Prisma's better-sqlite3 adapter does with a prepared statement. */
interface AdapterStatement {
  readonly reader: boolean;
  bind(args: unknown[]): AdapterStatement;
  run(): unknown;
  columns(): ReturnType<Statement['columns']>;
  raw(): { all(): unknown[] };
}

function facade(stmt: Statement, args: unknown[] | null): AdapterStatement {
  return {
    reader: stmt.reader,
    bind: (a) => facade(stmt, a),
    run: () => (args ? stmt.run(args) : stmt.run()),
    columns: () => stmt.columns(),
    raw: () => ({ all: () => (args ? stmt.raw(true).all(args) : stmt.raw(true).all()) }),
  };
}

/** The connection's prepared statements, by SQL text. */
export interface StatementCache {
  get(sql: string): Statement;
}

/**
 * Prisma's better-sqlite3 adapter prepares every statement anew, on every
 * query: SQLite parses and plans the same few dozen statements thousands of
 * times a second under load. This keeps them prepared (LRU by SQL text) and
 * binds each query's parameters when it runs instead (better-sqlite3's
 * bind() is permanent, so the adapter's bind-then-run becomes run(args)).
 * Every call is synchronous, so one statement is never used by two queries
 * at once. The same cache serves the direct path (see direct-sql.ts).
 */
export function cacheStatements(db: Database): StatementCache {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  const get = (sql: string): Statement => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
    } else {
      stmt = prepare(sql);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, stmt);
    return stmt;
  };
  (db as unknown as { prepare: (sql: string) => AdapterStatement }).prepare = (sql) => facade(get(sql), null);
  return { get };
}
