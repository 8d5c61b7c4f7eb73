// Applies pending migrations to a SQLite file with better-sqlite3.
//
// Everything between BEGIN IMMEDIATE and COMMIT is synchronous: the write lock
// is taken before the applied list is read, so a second process starting at
// the same time waits (busy timeout) and then finds nothing left to do.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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

/** How long to wait for another process holding the write lock (e.g. migrating). */
const BUSY_TIMEOUT_MS = 60_000;

const INSERT_ROW = `INSERT INTO "_prisma_migrations"
  ("id", "checksum", "finished_at", "migration_name", "logs", "started_at", "applied_steps_count")
  VALUES (@id, @checksum, @finished_at, @migration_name, @logs, @started_at, @applied_steps_count)`;

function foreignKeyViolations(db: Database.Database): string | undefined {
  const rows = db.prepare('PRAGMA foreign_key_check').all();
  return rows.length === 0 ? undefined : `foreign key check failed: ${JSON.stringify(rows.slice(0, 5))}`;
}

export function applySqliteMigrations(file: string, migrations: MigrationFile[], log: (msg: string) => void): string[] {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Prisma's SQLite migrations rebuild tables with PRAGMA foreign_keys=OFF,
    // which is a no-op inside a transaction: turn it off before BEGIN, and
    // check the keys ourselves before each migration is kept.
    db.pragma('foreign_keys = OFF');
    db.exec('BEGIN IMMEDIATE');
    try {
      const applied = applyLocked(db, migrations, log);
      db.exec('COMMIT');
      return applied;
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
  } finally {
    db.close();
  }
}

function applyLocked(db: Database.Database, migrations: MigrationFile[], log: (msg: string) => void): string[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE);
  if (exists === undefined) db.exec(CREATE_MIGRATIONS_TABLE.sqlite);
  const rows = db.prepare<[], MigrationRow>(SELECT_MIGRATION_ROWS).all();
  const insert = db.prepare<[NewMigrationRow]>(INSERT_ROW);

  const applied: string[] = [];
  for (const migration of pendingMigrations(migrations, rows, log)) {
    const row = { id: randomUUID(), checksum: migration.checksum, migration_name: migration.name, started_at: migrationTimestamp() };
    db.exec('SAVEPOINT chatshop_migration');
    try {
      db.exec(migration.sql);
      const violation = foreignKeyViolations(db);
      if (violation !== undefined) throw new Error(violation);
      db.exec('RELEASE chatshop_migration');
    } catch (error) {
      db.exec('ROLLBACK TO chatshop_migration');
      db.exec('RELEASE chatshop_migration');
      const logs = error instanceof Error ? error.message : String(error);
      insert.run({ ...row, finished_at: null, logs, applied_steps_count: 0 });
      db.exec('COMMIT'); // keep the migrations applied before it, and the failed row
      throw new MigrationError(failureMessage(migration.name, error), { cause: error });
    }
    insert.run({ ...row, finished_at: migrationTimestamp(), logs: null, applied_steps_count: 1 });
    applied.push(migration.name);
    log(`applied migration ${migration.name}`);
  }
  return applied;
}
