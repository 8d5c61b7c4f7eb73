// npm run db:migrate -- --name <name> [--allow-data-loss]
// Writes prisma/<provider>/migrations/<timestamp>_<name>/{migration.sql,schema.prisma}
// for each provider whose schema changed since its last migration. Offline:
// the WebAssembly schema engine diffs the two datamodels, no database involved.
import { parseMigrateArgs, UsageError } from './cli-args.ts';
import { dropStatements, sqliteDataLoss } from './data-loss.ts';
import { deriveSchemas } from './derive-schemas.ts';
import { migrationScripts, migrationTimestamp, writeMigration } from './migration-history.ts';
import { relativeToRoot } from './paths.ts';
import { pendingChanges } from './pending-changes.ts';

async function main(): Promise<number> {
  const args = parseMigrateArgs(process.argv.slice(2));
  const rederived = await deriveSchemas();
  const changes = (await pendingChanges()).filter((change) => !change.empty);
  if (changes.length === 0) {
    console.log('db:migrate: no schema changes since the last migration — nothing written.');
    return 0;
  }

  const destructive: string[] = [];
  for (const change of changes) {
    const losses = change.provider === 'sqlite' ? sqliteDataLoss(await migrationScripts('sqlite'), change.sql) : dropStatements(change.sql);
    destructive.push(...losses.map((loss) => `  [${change.provider}] ${loss}`));
  }
  if (destructive.length > 0 && !args.allowDataLoss) {
    console.error(
      [
        'db:migrate: refusing to write a migration that drops data:',
        ...destructive,
        'If this is intended, run again with --allow-data-loss.',
      ].join('\n'),
    );
    return 1;
  }

  const folder = `${migrationTimestamp()}_${args.name}`;
  for (const change of changes) {
    const dir = await writeMigration(change.provider, folder, change.sql, change.schema);
    console.log(`db:migrate: wrote ${relativeToRoot(dir)}/migration.sql`);
  }
  if (rederived.length > 0) console.log('db:migrate: derived schemas were updated — run `npm run db:generate` to refresh the clients.');
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
