// Prisma's own migration history table, byte for byte as its schema engine
// creates it, so `prisma migrate status/deploy` accept our history as theirs.

export const MIGRATIONS_TABLE = '_prisma_migrations';

export const CREATE_MIGRATIONS_TABLE = {
  sqlite: `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);
`,
  postgresql: `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`,
} as const;

export const SELECT_MIGRATION_ROWS = `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at", "logs", "started_at"
FROM "_prisma_migrations" ORDER BY "started_at" ASC`;

/** A row as read back; timestamps may come back as text (SQLite) or Date (pg). */
export type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: string | Date | null;
  rolled_back_at: string | Date | null;
  logs: string | null;
  started_at: string | Date;
};

/** A row to record: finished (applied_steps_count 1) or failed (finished_at NULL, logs set). */
export type NewMigrationRow = {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: string;
  finished_at: string | null;
  logs: string | null;
  applied_steps_count: 0 | 1;
};

/** The text form Prisma's engine writes, e.g. 2025-01-31T12:00:00.123+00:00. */
export function migrationTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/Z$/, '+00:00');
}
