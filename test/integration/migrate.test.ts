// applyMigrations (src/infra/db/migrate.ts) against real databases: SQLite in
// a temp dir always, PostgreSQL (a fresh random schema per test, dropped
// afterwards) when TEST_DATABASE_URL is set.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/infra/db/client.ts';
import { applyMigrations, MigrationError } from '../../src/infra/db/migrate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MIGRATE_MODULE = join(ROOT, 'src/infra/db/migrate.ts');
const PG_URL = process.env['TEST_DATABASE_URL'];

type Provider = 'sqlite' | 'postgresql';

type Row = {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  logs: string | null;
  applied_steps_count: number;
};

/** One empty database. */
type Target = {
  url: string;
  schema?: string;
  rows(): Promise<Row[]>;
  hasTable(name: string): Promise<boolean>;
  exec(sql: string): Promise<void>;
};

type Harness = {
  newTarget(): Promise<Target>;
  close(): Promise<void>;
};

const temp = mkdtempSync(join(tmpdir(), 'chatshop-migrate-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function suffix(): string {
  return randomBytes(6).toString('hex');
}

function realMigrations(provider: Provider): string[] {
  return readdirSync(join(ROOT, 'prisma', provider, 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** A temp migrations folder: the real migrations plus `extra` ones (name → SQL). */
function migrationsDir(provider: Provider, extra: Record<string, string> = {}): string {
  const dir = join(temp, `migrations-${provider}-${suffix()}`);
  cpSync(join(ROOT, 'prisma', provider, 'migrations'), dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

function sqliteHarness(): Harness {
  return {
    newTarget() {
      const file = join(temp, `sqlite-${suffix()}`, 'test.db'); // parent folder created by applyMigrations
      /** Runs `fn` on a short-lived connection (better-sqlite3 is synchronous). */
      const withDb = async <T>(fn: (db: Database.Database) => T): Promise<T> => {
        await Promise.resolve();
        const db = new Database(file);
        try {
          return fn(db);
        } finally {
          db.close();
        }
      };
      return Promise.resolve({
        url: `file:${file}`,
        rows: () => withDb((db) => db.prepare<[], Row>('SELECT * FROM _prisma_migrations ORDER BY started_at').all()),
        hasTable: (name: string) =>
          withDb((db) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined),
        exec: (sql: string) => withDb((db) => void db.exec(sql)),
      });
    },
    close: () => Promise.resolve(),
  };
}

function postgresHarness(url: string): Harness {
  const admin = new pg.Client({ connectionString: url });
  const connected = admin.connect();
  const schemas: string[] = [];
  return {
    async newTarget() {
      await connected;
      const schema = `migrate_test_${suffix()}`;
      schemas.push(schema);
      return {
        url,
        schema,
        rows: async () => (await admin.query<Row>(`SELECT * FROM "${schema}"._prisma_migrations ORDER BY started_at`)).rows,
        hasTable: async (name) =>
          (await admin.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [schema, name])).rowCount === 1,
        exec: async (sql) => {
          await admin.query(`SET search_path TO "${schema}"; ${sql}; RESET search_path`);
        },
      };
    },
    async close() {
      await connected;
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

const execFileAsync = promisify(execFile);

/** applyMigrations in a separate Node process (real cross-process concurrency). */
async function applyInChildProcess(opts: { url: string; schema?: string; dir: string }): Promise<string[]> {
  const code = `const { applyMigrations } = await import(${JSON.stringify(MIGRATE_MODULE)});
const result = await applyMigrations(${JSON.stringify(opts)});
process.stdout.write(JSON.stringify(result.applied));`;
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT });
  const applied: unknown = JSON.parse(stdout);
  if (!Array.isArray(applied) || !applied.every((name) => typeof name === 'string')) throw new Error(`unexpected output ${stdout}`);
  return applied;
}

function defineSuite(provider: Provider, makeHarness: () => Harness): void {
  let harness: Harness;
  beforeAll(() => {
    harness = makeHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  const migrations = realMigrations(provider);
  const extra = {
    '99990101000000_add_extra': 'CREATE TABLE "Extra" ("id" TEXT NOT NULL PRIMARY KEY);\nCREATE INDEX "Extra_id_idx" ON "Extra"("id");\n',
    '99990102000000_add_more': 'CREATE TABLE "More" ("id" TEXT NOT NULL PRIMARY KEY);\n',
  };

  it('applies every migration once; a second run applies nothing', async () => {
    const target = await harness.newTarget();
    const first = await applyMigrations({ url: target.url, schema: target.schema });
    expect(first.applied).toEqual(migrations);
    const second = await applyMigrations({ url: target.url, schema: target.schema });
    expect(second.applied).toEqual([]);

    const rows = await target.rows();
    expect(rows.map((row) => row.migration_name)).toEqual(migrations);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.logs).toBeNull();
      expect(Number(row.applied_steps_count)).toBe(1);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await target.hasTable('Store')).toBe(true);
  });

  it('applies each migration exactly once when two callers start at the same time', async () => {
    const target = await harness.newTarget();
    const dir = migrationsDir(provider, extra);
    const opts = { url: target.url, dir, ...(target.schema === undefined ? {} : { schema: target.schema }) };
    const results = await Promise.all([
      applyMigrations(opts).then((result) => result.applied),
      applyMigrations(opts).then((result) => result.applied),
      applyInChildProcess(opts),
      applyInChildProcess(opts),
    ]);
    const all = [...migrations, ...Object.keys(extra)];
    expect(results.flat().sort()).toEqual(all);
    expect((await target.rows()).map((row) => row.migration_name).sort()).toEqual(all);
  });

  it('records a failing migration as failed, rolls its changes back and blocks later runs', async () => {
    const target = await harness.newTarget();
    const broken = '99990101000000_broken';
    const dir = migrationsDir(provider, {
      [broken]: 'CREATE TABLE "Half" ("id" TEXT NOT NULL PRIMARY KEY);\nTHIS IS NOT SQL;\n',
    });
    const opts = { url: target.url, dir, ...(target.schema === undefined ? {} : { schema: target.schema }) };

    await expect(applyMigrations(opts)).rejects.toThrow(MigrationError);
    const rows = await target.rows();
    expect(rows.map((row) => row.migration_name)).toEqual([...migrations, broken]);
    const failed = rows.find((row) => row.migration_name === broken);
    expect(failed?.finished_at).toBeNull();
    expect(failed?.logs).toMatch(/syntax error/i);
    expect(Number(failed?.applied_steps_count)).toBe(0);
    expect(await target.hasTable('Half')).toBe(false); // its CREATE TABLE was rolled back
    expect(await target.hasTable('Store')).toBe(true); // the migrations before it were kept

    await expect(applyMigrations(opts)).rejects.toThrow(/failed.*resolved/s);

    // Resolved as Prisma does (rolled back) and fixed: applied afresh.
    await target.exec(`UPDATE "_prisma_migrations" SET "rolled_back_at" = CURRENT_TIMESTAMP WHERE "migration_name" = '${broken}'`);
    writeFileSync(join(dir, broken, 'migration.sql'), 'CREATE TABLE "Half" ("id" TEXT NOT NULL PRIMARY KEY);\n');
    expect((await applyMigrations(opts)).applied).toEqual([broken]);
    expect(await target.hasTable('Half')).toBe(true);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const target = await harness.newTarget();
    const dir = migrationsDir(provider, extra);
    const opts = { url: target.url, dir, ...(target.schema === undefined ? {} : { schema: target.schema }) };
    await applyMigrations(opts);
    writeFileSync(join(dir, '99990102000000_add_more', 'migration.sql'), 'CREATE TABLE "More" ("id" TEXT);\n');
    await expect(applyMigrations(opts)).rejects.toThrow(/99990102000000_add_more was modified after it was applied/);
  });

  it('gives a Prisma client (createDb) that writes and reads a Store', async () => {
    const target = await harness.newTarget();
    await applyMigrations({ url: target.url, schema: target.schema });
    const db = createDb({ url: target.url, schema: target.schema });
    try {
      const slug = `shop-${suffix()}`;
      const created = await db.store.create({ data: { slug, name: 'Test shop', currency: 'EUR' } });
      const found = await db.store.findUnique({ where: { slug } });
      expect(found).toMatchObject({ id: created.id, slug, name: 'Test shop', currency: 'EUR', locale: 'en' });
      expect(found?.createdAt).toBeInstanceOf(Date);
    } finally {
      await db.$disconnect();
    }
  });
}

describe('applyMigrations on SQLite (temp dir)', () => {
  defineSuite('sqlite', sqliteHarness);

  // Prisma's SQLite migrations rebuild a table to change it (copy to "new_X",
  // DROP "X", rename). With foreign keys on, that DROP would cascade-delete
  // every child row; applyMigrations must turn them off for the migration and
  // check them itself before keeping it.
  const rebuildStore = `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Store" (
    "id" TEXT NOT NULL PRIMARY KEY, "slug" TEXT NOT NULL, "name" TEXT NOT NULL, "currency" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'en', "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "reservationTtlSeconds" INTEGER NOT NULL DEFAULT 900, "orderSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Store" ("createdAt", "currency", "id", "locale", "name", "orderSeq", "reservationTtlSeconds", "slug", "updatedAt")
  SELECT "createdAt", "currency", "id", "locale", "name", "orderSeq", "reservationTtlSeconds", "slug", "updatedAt" FROM "Store";
DROP TABLE "Store";
ALTER TABLE "new_Store" RENAME TO "Store";
CREATE UNIQUE INDEX "Store_slug_key" ON "Store"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;
  const seed = `INSERT INTO "Store" ("id", "slug", "name", "currency", "updatedAt") VALUES ('s1', 'shop', 'Shop', 'EUR', '2025-01-01T00:00:00.000+00:00');
INSERT INTO "StaffMember" ("id", "storeId", "name", "channel", "externalId") VALUES ('m1', 's1', 'Ann', 'telegram', '1');`;

  it('keeps child rows when a migration rebuilds a parent table', async () => {
    const target = await sqliteHarness().newTarget();
    await applyMigrations({ url: target.url });
    await target.exec(seed);
    const dir = migrationsDir('sqlite', { '99990101000000_store_timezone': rebuildStore });
    expect((await applyMigrations({ url: target.url, dir })).applied).toEqual(['99990101000000_store_timezone']);
    const db = new Database(target.url.slice('file:'.length));
    try {
      expect(db.prepare('SELECT "id", "storeId" FROM "StaffMember"').all()).toEqual([{ id: 'm1', storeId: 's1' }]);
      expect(db.prepare('SELECT "timezone" FROM "Store"').all()).toEqual([{ timezone: 'UTC' }]);
    } finally {
      db.close();
    }
  });

  it('rejects a migration that leaves foreign keys broken', async () => {
    const target = await sqliteHarness().newTarget();
    await applyMigrations({ url: target.url });
    await target.exec(seed);
    const dir = migrationsDir('sqlite', { '99990101000000_orphan_staff': 'DELETE FROM "Store";\n' });
    await expect(applyMigrations({ url: target.url, dir })).rejects.toThrow(/foreign key check failed/);
    expect((await target.rows()).at(-1)).toMatchObject({ migration_name: '99990101000000_orphan_staff', finished_at: null });
    expect(await target.hasTable('Store')).toBe(true);
  });
});

describe.skipIf(PG_URL === undefined)(
  `applyMigrations on PostgreSQL${PG_URL === undefined ? ' — skipped: set TEST_DATABASE_URL=postgresql://… to run' : ''}`,
  () => {
    defineSuite('postgresql', () => postgresHarness(PG_URL ?? ''));
  },
);
