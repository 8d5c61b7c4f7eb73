// npm run db:check (CI): fails when the derived schemas are not current with
// prisma/models.prisma, or when the models changed without a migration.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listMigrations, SCHEMA_COPY } from './migration-history.ts';
import { migrationsDir, PROVIDERS, relativeToRoot, schemaFile } from './paths.ts';
import { staleSchemas } from './derive-schemas.ts';
import { pendingChanges } from './pending-changes.ts';

async function problems(): Promise<string[]> {
  const found: string[] = [];
  for (const provider of await staleSchemas()) {
    found.push(`${relativeToRoot(schemaFile(provider))} is not current with prisma/models.prisma — run \`npm run db:generate\`.`);
  }
  for (const provider of PROVIDERS) {
    const base = migrationsDir(provider);
    const migrations = await listMigrations(provider);
    if (migrations.length === 0) found.push(`${relativeToRoot(base)} has no migrations.`);
    for (const migration of migrations) {
      for (const file of ['migration.sql', SCHEMA_COPY]) {
        if (!existsSync(join(base, migration, file))) found.push(`${relativeToRoot(join(base, migration, file))} is missing.`);
      }
    }
    const lock = join(base, 'migration_lock.toml');
    if (migrations.length > 0 && !(existsSync(lock) && readFileSync(lock, 'utf8').includes(`provider = "${provider}"`))) {
      found.push(`${relativeToRoot(lock)} is missing or names another provider.`);
    }
  }
  if (found.length > 0) return found;

  const unmigrated = (await pendingChanges()).filter((change) => !change.empty);
  if (unmigrated.length > 0) {
    const names = unmigrated.map((change) => change.provider).join(' and ');
    found.push(
      `prisma/models.prisma has changes that no ${names} migration contains — run \`npm run db:migrate -- --name <name>\` and commit the new migration folders.`,
    );
  }
  return found;
}

try {
  const found = await problems();
  if (found.length > 0) {
    console.error(['db:check failed:', ...found.map((problem) => `  - ${problem}`)].join('\n'));
    process.exitCode = 1;
  } else {
    console.log('db:check: derived schemas and migrations are current with prisma/models.prisma.');
  }
} catch (error) {
  console.error(`db:check: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
