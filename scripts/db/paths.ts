import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The two databases chatshop supports; each has its own schema, migrations and client. */
export const PROVIDERS = ['sqlite', 'postgresql'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Package root: scripts/db/ is two levels below it. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The one file engineers edit. */
export const MODELS_FILE = join(ROOT, 'prisma', 'models.prisma');

export function providerDir(provider: Provider): string {
  return join(ROOT, 'prisma', provider);
}

/** The derived, provider-specific schema (generated — never edited by hand). */
export function schemaFile(provider: Provider): string {
  return join(providerDir(provider), 'schema.prisma');
}

export function migrationsDir(provider: Provider): string {
  return join(providerDir(provider), 'migrations');
}

/** Relative to the derived schema file, as the generator's `output` wants it. */
export function clientOutput(provider: Provider): string {
  return `../../src/infra/db/generated/${provider}`;
}

export function relativeToRoot(path: string): string {
  return path.startsWith(ROOT + '/') ? path.slice(ROOT.length + 1) : path;
}
