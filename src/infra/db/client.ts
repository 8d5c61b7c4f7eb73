// The Prisma client for the configured database. Both generated clients come
// from the same prisma/models.prisma, so the rest of the code uses one type,
// `Db` (the SQLite client's), whichever database runs underneath.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as PostgresPrismaClient } from './generated/postgresql/client.ts';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.ts';
import type { Database } from 'better-sqlite3';
import { registerSqliteDirect, type SqliteConnection } from './direct-sql.ts';
import { lockSqliteConnection } from './sqlite-connection-lock.ts';
import { cacheStatements } from './sqlite-statement-cache.ts';
import { databaseProvider, postgresTarget, sqliteFilePath } from './url.ts';

export { databaseProvider, type DatabaseProvider } from './url.ts';

export type Db = SqlitePrismaClient;

export type CreateDbOptions = {
  /** file:<path> (relative to process.cwd()) or postgresql://… / postgres://… */
  url: string;
  /** PostgreSQL only: schema holding the tables. Default: ?schema= of the URL, else the connection's. */
  schema?: string;
  /** SQLite only: when the write-ahead log is synced (SQLITE_SYNCHRONOUS; default full, at every commit). */
  sqliteSynchronous?: SqliteSynchronous | undefined;
};

export type SqliteSynchronous = 'full' | 'normal';

/** How long a SQLite writer waits for another one before failing with "database is locked". */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** PostgreSQL connections per process; pg's default, stated so it is a decision. */
const PG_POOL_SIZE = 10;

/** better-sqlite3 adapter whose connections use WAL, durable (FULL) syncs unless told otherwise, and keep statements prepared. */
class DurableSqliteAdapterFactory extends PrismaBetterSqlite3 {
  constructor(
    config: ConstructorParameters<typeof PrismaBetterSqlite3>[0],
    private readonly synchronous: SqliteSynchronous,
  ) {
    super(config);
  }

  /** The open connection, for the direct path (direct-sql.ts). */
  connection: SqliteConnection | null = null;

  override async connect() {
    const inner = await super.connect();
    await inner.executeScript(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${this.synchronous === 'normal' ? 'NORMAL' : 'FULL'};`);
    // The adapter's one better-sqlite3 connection (a field its own queries and transactions use).
    const client = (inner as unknown as { client: Database }).client;
    const statements = cacheStatements(client);
    const { adapter, alone } = lockSqliteConnection(inner);
    this.connection = { statements, alone, inTransaction: () => client.inTransaction, synchronous: this.synchronous };
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = () => {
      this.connection = null;
      return dispose();
    };
    return adapter;
  }
}

function createSqliteDb(url: string, synchronous: SqliteSynchronous): Db {
  const file = sqliteFilePath(url);
  mkdirSync(dirname(file), { recursive: true });
  const adapter = new DurableSqliteAdapterFactory({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS }, synchronous);
  const db = new SqlitePrismaClient({ adapter });
  registerSqliteDirect(db, () => adapter.connection);
  return db;
}

function createPostgresDb(url: string, schemaOption: string | undefined): Db {
  const { connectionString, schema } = postgresTarget(url, schemaOption);
  const adapter = new PrismaPg(
    // search_path too, so raw SQL ($queryRaw) finds the same tables as the client.
    { connectionString, max: PG_POOL_SIZE, ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }) },
    schema === undefined ? undefined : { schema },
  );
  // The one cast: the PostgreSQL client is generated from the same models as
  // the SQLite one, so its model API is the same; only the provider-specific
  // internals of the two generated types differ.
  return new PostgresPrismaClient({ adapter }) as unknown as Db;
}

export function createDb(opts: CreateDbOptions): Db {
  return databaseProvider(opts.url) === 'sqlite' ? createSqliteDb(opts.url, opts.sqliteSynchronous ?? 'full') : createPostgresDb(opts.url, opts.schema);
}
