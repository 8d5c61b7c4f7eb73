// npm run db:generate (also the package's postinstall): derive both provider
// schemas from prisma/models.prisma, then generate both Prisma clients into
// src/infra/db/generated/<provider>. Offline; no database needed.
import { deriveSchemas } from './derive-schemas.ts';
import { runPrisma } from './prisma-cli.ts';
import { PROVIDERS, relativeToRoot, schemaFile } from './paths.ts';

async function main(): Promise<void> {
  const started = performance.now();
  const changed = await deriveSchemas();
  for (const provider of changed) console.log(`db:generate: wrote ${relativeToRoot(schemaFile(provider))}`);

  const results = await Promise.all(
    PROVIDERS.map(async (provider) => ({
      provider,
      ...(await runPrisma(['generate', '--schema', relativeToRoot(schemaFile(provider))])),
    })),
  );
  const failed = results.filter((result) => result.code !== 0);
  for (const result of failed) {
    console.error(`db:generate: prisma generate failed for ${result.provider}:\n${result.output}`);
  }
  if (failed.length > 0) process.exit(1);

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`db:generate: generated ${PROVIDERS.join(' and ')} clients in ${seconds} s`);
}

await main();
