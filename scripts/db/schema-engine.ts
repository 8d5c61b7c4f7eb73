// The WebAssembly schema engine, used only for `diff` between two datamodels —
// no database is touched. Its package entry imports a .wasm file, which Node 20
// cannot import, so the bytes are loaded here and instantiated with the
// package's own JS bindings.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { Provider } from './paths.ts';

const require = createRequire(import.meta.url);
const WASM_FILE = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');

// The project's `lib` (ES2023, no DOM) declares no WebAssembly global; this
// is the part of Node's that is used here.
type WasmInstance = { exports: Record<string, unknown> };
type WasmApi = {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, object>): Promise<WasmInstance>;
};
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let instantiated: Promise<void> | undefined;

function isCallable(value: unknown): value is () => void {
  return typeof value === 'function';
}

function instantiateOnce(): Promise<void> {
  instantiated ??= (async () => {
    const module = await wasmApi.compile(await readFile(WASM_FILE));
    const instance = await wasmApi.instantiate(module, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    const start = instance.exports['__wbindgen_start'];
    if (!isCallable(start)) throw new Error(`${WASM_FILE} has no __wbindgen_start export`);
    start();
  })();
  return instantiated;
}

// --- A driver adapter factory stub. The engine insists on one (passing `{}`
// panics the WebAssembly module) and, for PostgreSQL, asks one probe query when
// it connects. Results are in the error-capturing `{ ok, value }` form that
// @prisma/driver-adapter-utils' bind* wrappers produce.

type Ok<T> = { ok: true; value: T };
type ResultSet = { columnNames: string[]; columnTypes: number[]; rows: unknown[][] };
type StubQuery = { sql: string };

const COLUMN_TYPE = { Int32: 0, Boolean: 5, Text: 7 } as const;
const EMPTY_RESULT: ResultSet = { columnNames: [], columnTypes: [], rows: [] };

function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

function answer(query: StubQuery): ResultSet {
  // PostgreSQL connector start-up probe: schema exists?, version(), server_version_num.
  if (query.sql.includes('pg_namespace') && query.sql.includes('server_version_num')) {
    return {
      columnNames: ['exists', 'version', 'numeric_version'],
      columnTypes: [COLUMN_TYPE.Boolean, COLUMN_TYPE.Text, COLUMN_TYPE.Int32],
      rows: [[true, 'PostgreSQL 15.0 (chatshop schema-engine stub)', 150000]],
    };
  }
  return EMPTY_RESULT;
}

function resolved<T>(value: T): Promise<Ok<T>> {
  return Promise.resolve(ok(value));
}

function refused(what: string): Promise<never> {
  return Promise.reject(new Error(`the diff stub adapter cannot ${what}`));
}

function stubAdapterFactory(provider: Provider): object {
  const adapterProvider = provider === 'postgresql' ? 'postgres' : 'sqlite';
  const adapter = {
    provider: adapterProvider,
    adapterName: 'chatshop-diff-stub',
    queryRaw: (query: StubQuery) => resolved(answer(query)),
    executeRaw: () => resolved(0),
    executeScript: () => refused('run scripts'),
    startTransaction: () => refused('open transactions'),
    getConnectionInfo: () => ok({ supportsRelationJoins: false }),
    dispose: () => resolved(undefined),
  };
  return {
    provider: adapterProvider,
    adapterName: adapter.adapterName,
    connect: () => resolved(adapter),
    connectToShadowDb: () => resolved(adapter),
  };
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

export type DiffResult = { empty: boolean; sql: string };

/**
 * SQL script that takes a database from schema `from` to schema `to`
 * (both full Prisma schemas with a datasource block), exactly as
 * `prisma migrate dev` would write it.
 */
export async function diffSchemas(provider: Provider, from: string, to: string): Promise<DiffResult> {
  await instantiateOnce();
  const logs: string[] = [];
  const engine: SchemaEngine = await bindings.SchemaEngine.new(
    { datamodels: [['schema.prisma', to]] },
    (line: string) => logs.push(line),
    stubAdapterFactory(provider),
  );
  try {
    const result = await engine.diff({
      from: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    // With exitCode requested the engine answers 2 when the diff is not empty.
    return { empty: result.exitCode === 0, sql: result.stdout ?? '' };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`schema engine diff failed for ${provider}: ${detail}\n${logs.join('\n')}`);
  } finally {
    engine.free();
  }
}
