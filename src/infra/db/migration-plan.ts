// What to do, given the migrations folder and the rows already recorded.
import { checksumMatches, type MigrationFile } from './migration-files.ts';
import type { MigrationRow } from './migrations-table.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

function when(value: string | Date | null): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * The migrations still to apply, in order. Throws when a migration failed
 * earlier and was not resolved (Prisma's P3009) or when an applied
 * migration's file was edited afterwards. Rolled-back rows are history only.
 */
export function pendingMigrations(files: MigrationFile[], rows: MigrationRow[], log: (msg: string) => void): MigrationFile[] {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.filter((row) => row.finished_at === null);
  if (failed.length > 0) {
    const list = failed
      .map((row) => `  - ${row.migration_name} (started ${when(row.started_at)}): ${(row.logs ?? 'no log').split('\n')[0]}`)
      .join('\n');
    throw new MigrationError(
      `Earlier migration(s) failed; no migrations will be applied until they are resolved:\n${list}\n` +
        'Fix the cause, then mark each as rolled back — `prisma migrate resolve --rolled-back <name>`, or ' +
        `UPDATE "_prisma_migrations" SET "rolled_back_at" = CURRENT_TIMESTAMP WHERE "migration_name" = '<name>' AND "finished_at" IS NULL — ` +
        'and start again (its schema changes were rolled back, so it will be applied afresh).',
    );
  }

  const applied = new Map(live.map((row) => [row.migration_name, row]));
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of applied.values()) {
    const file = byName.get(row.migration_name);
    if (file === undefined) {
      log(`migration ${row.migration_name} is recorded in the database but missing from the migrations folder`);
    } else if (!checksumMatches(file, row.checksum)) {
      throw new MigrationError(
        `Migration ${row.migration_name} was modified after it was applied (checksum ${row.checksum} recorded, ` +
          `${file.checksum} on disk). Restore the original migration.sql and put the change in a new migration.`,
      );
    }
  }
  return files.filter((file) => !applied.has(file.name));
}

export function failureMessage(name: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `Migration ${name} failed and was rolled back; it is recorded as failed and blocks later runs until resolved.\n${detail}`;
}
