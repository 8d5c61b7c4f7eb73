import { databaseProvider, type Db } from '../db/client.ts';
import type { ProductSearch } from '../../search/search.ports.ts';
import { PostgresProductSearch } from './postgres-product-search.ts';
import { SqliteProductSearch } from './sqlite-product-search.ts';

/** The product search for the configured database: FTS5 on SQLite, tsvector + pg_trgm on PostgreSQL. */
export function createProductSearch(db: Db, databaseUrl: string): ProductSearch {
  return databaseProvider(databaseUrl) === 'sqlite' ? new SqliteProductSearch(db) : new PostgresProductSearch(db);
}
