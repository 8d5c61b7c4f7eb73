// Runtime migration applier, run at service start and by tests. It applies
// the migrations that `npm run db:migrate` wrote and records them in Prisma's
// `_prisma_migrations` table exactly as `prisma migrate deploy` would.
import { defaultMigrationsDir, readMigrations } from './migration-files.ts';
import { applyPostgresMigrations } from './migrate-postgres.ts';
import { applySqliteMigrations } from './migrate-sqlite.ts';
import { databaseProvider, postgresTarget, sqliteFilePath } from './url.ts';

export { MigrationError } from './migration-plan.ts';

export type ApplyMigrationsOptions = {
  /** file:<path> (relative to process.cwd()) or postgresql://… / postgres://… */
  url: string;
  /** PostgreSQL only: schema to migrate into (created if missing). Default: ?schema= of the URL, else the connection's. */
  schema?: string;
  log?: (msg: string) => void;
  /** Migrations folder for the URL's provider. Default: prisma/<provider>/migrations of this package. */
  dir?: string;
};

export async function applyMigrations(opts: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const provider = databaseProvider(opts.url);
  const migrations = await readMigrations(opts.dir ?? defaultMigrationsDir(provider), provider);
  if (provider === 'sqlite') {
    return { applied: applySqliteMigrations(sqliteFilePath(opts.url), migrations, log) };
  }
  const target = postgresTarget(opts.url, opts.schema);
  return { applied: await applyPostgresMigrations(target.connectionString, target.schema, migrations, log) };
}
