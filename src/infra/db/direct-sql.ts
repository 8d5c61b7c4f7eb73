import type { Statement } from 'better-sqlite3';
import type { Db } from './client.ts';
import { Prisma } from './generated/sqlite/client.ts';
import type { Alone } from './sqlite-connection-lock.ts';
import type { StatementCache } from './sqlite-statement-cache.ts';

/**
 * Portable SQL for the paths every chat message takes (the Telegram inbox,
 * conversation state, product pages). Through Prisma a statement costs
 * 45-75 µs of CPU as $queryRaw and 100-170 µs as a typed call, against a few
 * µs for SQLite itself; at hundreds of updates a second that was a quarter of
 * the server's time. On SQLite this runs the statement on the same
 * connection directly (prepared once, under the connection lock, so never
 * inside someone else's transaction); on PostgreSQL it is Prisma's $queryRaw.
 *
 * Never call it inside a Prisma transaction callback: on SQLite it waits for
 * the connection the transaction holds. Values come back as each database
 * has them: read them with asDate / asJson / asNumber.
 */
export interface DirectSql {
  /** A value for a Json column (PostgreSQL's jsonb needs the cast). */
  json(value: unknown): Prisma.Sql;
  /** The rows of a SELECT, or of a write with RETURNING. */
  query<T>(sql: Prisma.Sql): Promise<T[]>;
  /** How many rows a write changed. */
  execute(sql: Prisma.Sql): Promise<number>;
  /**
   * execute() for a write whose loss in a power cut or an OS crash is
   * harmless (what it records is best-effort, or its absence is handled):
   * with SQLite's durable syncs it commits without an fsync of its own, and
   * the next synced commit (at least one per received update) syncs it with
   * the rest of the log. A crash of the process loses nothing either way, and
   * the database stays intact. Elsewhere, execute().
   */
  executeUnsynced(sql: Prisma.Sql): Promise<number>;
  /**
   * Statements that do not depend on each other's results, in one
   * transaction (one commit, so one fsync on SQLite): each one's rows.
   */
  transaction(sqls: Prisma.Sql[]): Promise<Record<string, unknown>[][]>;
}

/** The connection Prisma's SQLite adapter opened, once it has. */
export interface SqliteConnection {
  statements: StatementCache;
  alone: Alone;
  inTransaction(): boolean;
  /** When the connection syncs the log (client.ts: SQLITE_SYNCHRONOUS). */
  synchronous: 'full' | 'normal';
}

/** As Prisma's adapter stores them: ISO text with +00:00, booleans as 0/1. */
function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('Z', '+00:00');
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v === undefined ? null : v;
}

/** The adapter reads integers as bigint (no precision lost); like its own rows, safe ones become numbers. */
function safeNumbers(row: Record<string, unknown>): Record<string, unknown> {
  for (const k in row) {
    const v = row[k];
    if (typeof v === 'bigint' && Number.isSafeInteger(Number(v))) row[k] = Number(v);
  }
  return row;
}

const registry = new WeakMap<Db, DirectSql>();

/** Registers the direct path of a SQLite client; `connection` is set once Prisma has connected. */
export function registerSqliteDirect(db: Db, connection: () => SqliteConnection | null): void {
  const open = async (): Promise<SqliteConnection> => {
    let c = connection();
    if (!c) {
      await db.$connect();
      c = connection();
      if (!c) throw new Error('the SQLite connection did not open');
    }
    return c;
  };
  const run = async <T>(sql: Prisma.Sql, use: (stmt: Statement, args: unknown[], c: SqliteConnection) => T): Promise<T> => {
    const c = connection() ?? (await open());
    const args = sql.values.map(sqliteValue);
    return c.alone(() => use(c.statements.get(sql.sql), args, c));
  };
  registry.set(db, {
    json: (value) => Prisma.sql`${JSON.stringify(value)}`,
    // raw(false): the statement may be shared with Prisma's adapter, which reads rows as arrays.
    query: <T>(sql: Prisma.Sql) => run(sql, (stmt, args) => (stmt.raw(false).all(...args) as Record<string, unknown>[]).map(safeNumbers) as T[]),
    execute: (sql) => run(sql, (stmt, args) => stmt.run(...args).changes),
    // In WAL mode NORMAL skips the commit's fsync; the log stays ordered, so a later FULL commit's sync covers this one too.
    executeUnsynced: (sql) =>
      run(sql, (stmt, args, c) => {
        if (c.synchronous === 'normal') return stmt.run(...args).changes;
        c.statements.get('PRAGMA synchronous = NORMAL').run();
        try {
          return stmt.run(...args).changes;
        } finally {
          c.statements.get('PRAGMA synchronous = FULL').run();
        }
      }),
    transaction: async (sqls) => {
      const c = connection() ?? (await open());
      const prepared = sqls.map((sql) => ({ stmt: c.statements.get(sql.sql), args: sql.values.map(sqliteValue) }));
      return c.alone(() => {
        c.statements.get('BEGIN IMMEDIATE').run();
        try {
          const rows = prepared.map(({ stmt, args }) => (stmt.reader ? (stmt.raw(false).all(...args) as Record<string, unknown>[]).map(safeNumbers) : (stmt.run(...args), [])));
          c.statements.get('COMMIT').run();
          return rows;
        } catch (err) {
          // A failed COMMIT may have rolled back already.
          if (c.inTransaction()) c.statements.get('ROLLBACK').run();
          throw err;
        }
      });
    },
  });
}

/** The direct path for this client: SQLite's own, else Prisma's raw queries (PostgreSQL). */
export function directSql(db: Db): DirectSql {
  return (
    registry.get(db) ?? {
      json: (value) => Prisma.sql`CAST(${JSON.stringify(value)} AS jsonb)`,
      query: <T>(sql: Prisma.Sql) => db.$queryRaw<T[]>(sql),
      execute: (sql) => db.$executeRaw(sql),
      executeUnsynced: (sql) => db.$executeRaw(sql),
      transaction: (sqls) => db.$transaction(sqls.map((sql) => db.$queryRaw<Record<string, unknown>[]>(sql))),
    }
  );
}

/** A DateTime column: a Date from PostgreSQL, ISO text from SQLite. */
export const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
/** A Json column: a value from PostgreSQL, text from SQLite. */
export const asJson = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);
/** An integer or aggregate: a number, or a bigint from PostgreSQL's count(). */
export const asNumber = (v: unknown): number => Number(v);
