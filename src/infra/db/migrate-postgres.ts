// Applies pending migrations to PostgreSQL with pg on one dedicated
// connection holding Prisma's advisory lock, each migration.sql run whole
// (simple query protocol) in its own transaction together with its history row.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { MigrationFile } from './migration-files.ts';
import { failureMessage, MigrationError, pendingMigrations } from './migration-plan.ts';
import {
  CREATE_MIGRATIONS_TABLE,
  MIGRATIONS_TABLE,
  SELECT_MIGRATION_ROWS,
  migrationTimestamp,
  type MigrationRow,
  type NewMigrationRow,
} from './migrations-table.ts';
import { quoteIdentifier } from './url.ts';

/** The key `prisma migrate` locks, so we and Prisma's engine exclude each other. */
const ADVISORY_LOCK_KEY = 72707369;

const INSERT_ROW = `INSERT INTO "_prisma_migrations"
  ("id", "checksum", "finished_at", "migration_name", "logs", "started_at", "applied_steps_count")
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

async function insertRow(client: pg.Client, row: NewMigrationRow): Promise<void> {
  await client.query(INSERT_ROW, [
    row.id,
    row.checksum,
    row.finished_at,
    row.migration_name,
    row.logs,
    row.started_at,
    row.applied_steps_count,
  ]);
}

async function lock(client: pg.Client, log: (msg: string) => void): Promise<void> {
  const tried = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [ADVISORY_LOCK_KEY]);
  if (tried.rows[0]?.locked === true) return;
  log('another process is migrating this database; waiting for its lock');
  await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
}

export async function applyPostgresMigrations(
  connectionString: string,
  schema: string | undefined,
  migrations: MigrationFile[],
  log: (msg: string) => void,
): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await lock(client, log);
    try {
      if (schema !== undefined) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
        await client.query(`SET search_path TO ${quoteIdentifier(schema)}`);
      }
      return await applyLocked(client, migrations, log);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function applyLocked(client: pg.Client, migrations: MigrationFile[], log: (msg: string) => void): Promise<string[]> {
  const exists = await client.query('SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1', [MIGRATIONS_TABLE]);
  if (exists.rowCount === 0) await client.query(CREATE_MIGRATIONS_TABLE.postgresql);
  const rows = (await client.query<MigrationRow>(SELECT_MIGRATION_ROWS)).rows;

  const applied: string[] = [];
  for (const migration of pendingMigrations(migrations, rows, log)) {
    const row = { id: randomUUID(), checksum: migration.checksum, migration_name: migration.name, started_at: migrationTimestamp() };
    try {
      await client.query('BEGIN');
      await client.query(migration.sql); // no parameters: simple query protocol, whole script
      await insertRow(client, { ...row, finished_at: migrationTimestamp(), logs: null, applied_steps_count: 1 });
      await client.query('COMMIT');
    } catch (error) {
      const logs = error instanceof Error ? error.message : String(error);
      try {
        await client.query('ROLLBACK');
        await insertRow(client, { ...row, finished_at: null, logs, applied_steps_count: 0 });
      } catch (recordError) {
        const detail = recordError instanceof Error ? recordError.message : String(recordError);
        throw new MigrationError(`Migration ${migration.name} failed (${logs}), and recording the failure failed too: ${detail}`, {
          cause: error,
        });
      }
      throw new MigrationError(failureMessage(migration.name, error), { cause: error });
    }
    applied.push(migration.name);
    log(`applied migration ${migration.name}`);
  }
  return applied;
}
