import { readModels, renderSchema } from './derive-schemas.ts';
import { lastMigratedSchema } from './migration-history.ts';
import { PROVIDERS, type Provider } from './paths.ts';
import { diffSchemas } from './schema-engine.ts';

export type PendingChange = {
  provider: Provider;
  /** Newest existing migration folder, if any. */
  lastMigration: string | undefined;
  /** The derived schema for models.prisma as it is now. */
  schema: string;
  empty: boolean;
  sql: string;
};

/** For each provider: the SQL from the last migration's schema to the current models. */
export async function pendingChanges(): Promise<PendingChange[]> {
  const models = await readModels();
  return Promise.all(
    PROVIDERS.map(async (provider) => {
      const schema = renderSchema(provider, models);
      const last = await lastMigratedSchema(provider);
      const diff = await diffSchemas(provider, last.schema, schema);
      return { provider, lastMigration: last.migration, schema, ...diff };
    }),
  );
}
