// Parsing of the DATABASE_URL forms chatshop accepts:
//   file:<path>                      SQLite; path relative to process.cwd()
//   postgresql://… | postgres://…    PostgreSQL; optional ?schema=<name>
import { resolve } from 'node:path';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) return 'postgresql';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `Unsupported database URL${scheme === undefined ? '' : ` scheme "${scheme}:"`}: ` +
      'use file:<path> for SQLite or postgresql://user@host:port/database for PostgreSQL.',
  );
}

/** Absolute path of the SQLite file named by a `file:` URL (query string ignored). */
export function sqliteFilePath(url: string): string {
  const path = url.slice('file:'.length).replace(/[?#].*$/, '');
  if (path === '' || path === ':memory:') {
    throw new Error(`SQLite URL "${url}" names no file: use file:<path>, e.g. file:./data/chatshop.db`);
  }
  return resolve(process.cwd(), decodeURIComponent(path.replace(/^\/\/(?=\/)/, '')));
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** PostgreSQL schema names are used unescaped in `-c search_path=…`, so keep them plain. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}": use letters, digits and _ (not starting with a digit).`);
  }
  return schema;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The connection string pg understands (Prisma's `?schema=` parameter removed)
 * and the schema to use: the explicit option first, then `?schema=`.
 */
export function postgresTarget(url: string, schema?: string): { connectionString: string; schema: string | undefined } {
  const parsed = new URL(url);
  const fromUrl = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  const chosen = schema ?? fromUrl;
  return { connectionString: parsed.toString(), schema: chosen === undefined ? undefined : assertSchemaName(chosen) };
}
