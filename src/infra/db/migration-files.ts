// The migrations folders shipped with the package:
// prisma/<provider>/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseProvider } from './url.ts';

export type MigrationFile = { name: string; sql: string; checksum: string };

/** Located from this file (src/infra/db/ → package root), not from the cwd. */
export function defaultMigrationsDir(provider: DatabaseProvider): string {
  return fileURLToPath(new URL(`../../../prisma/${provider}/migrations`, import.meta.url));
}

/** SHA-256 hex of the file's bytes, as Prisma records it. */
export function checksumOf(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Prisma accepts a checksum taken before a checkout changed the line endings
 * (LF ↔ CRLF); so do we.
 */
export function checksumMatches(file: MigrationFile, recorded: string): boolean {
  if (file.checksum === recorded) return true;
  const lf = file.sql.replace(/\r\n/g, '\n');
  return checksumOf(lf) === recorded || checksumOf(lf.replace(/\n/g, '\r\n')) === recorded;
}

export async function readMigrations(dir: string, provider: DatabaseProvider): Promise<MigrationFile[]> {
  if (!existsSync(dir)) throw new Error(`Migrations folder ${dir} does not exist.`);
  const lockfile = join(dir, 'migration_lock.toml');
  if (existsSync(lockfile)) {
    const locked = /provider\s*=\s*"([^"]+)"/.exec(await readFile(lockfile, 'utf8'))?.[1];
    if (locked !== undefined && locked !== provider) {
      throw new Error(`${dir} holds ${locked} migrations, but the database URL is for ${provider}.`);
    }
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = join(dir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`Migration folder ${join(dir, name)} has no migration.sql.`);
      const bytes = await readFile(file);
      return { name, sql: bytes.toString('utf8'), checksum: checksumOf(bytes) };
    }),
  );
}
