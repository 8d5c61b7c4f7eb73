import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, walSyncsOf, type SqliteSynchronous } from '../../src/infra/db/client.ts';
import { directSql } from '../../src/infra/db/direct-sql.ts';
import { applyMigrations } from '../../src/infra/db/migrate.ts';
import { Prisma } from '../../src/infra/db/generated/sqlite/client.ts';

describe('SQLite durability setting', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatshop-sync-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const modeOf = async (sync: SqliteSynchronous | undefined) => {
    const db = createDb({ url: `file:${join(dir, `${sync ?? 'default'}.db`)}`, sqliteSynchronous: sync });
    try {
      const [row] = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>('PRAGMA synchronous');
      const [journal] = await db.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      return { synchronous: Number(row?.synchronous), journal: journal?.journal_mode };
    } finally {
      await db.$disconnect();
    }
  };

  it('runs in WAL mode with SQLite syncing at checkpoints (NORMAL = 1): with full, the log is synced by WalSync instead', async () => {
    expect(await modeOf(undefined)).toEqual({ synchronous: 1, journal: 'wal' });
    expect(await modeOf('full')).toEqual({ synchronous: 1, journal: 'wal' });
    expect(await modeOf('normal')).toEqual({ synchronous: 1, journal: 'wal' });
  });

  it('full (default): every write waits for a log sync — Prisma calls, transactions and the direct path; reads and normal do not', async () => {
    const url = `file:${join(dir, 'writes.db')}`;
    await applyMigrations({ url });
    const db = createDb({ url });
    const sql = directSql(db);
    try {
      await db.store.findMany();
      const synced = () => walSyncsOf(db) ?? -1;
      expect(synced()).toBe(0);
      const store = await db.store.create({ data: { slug: 'sync', name: 'Sync', currency: 'EUR' } });
      expect(synced()).toBe(1);
      await db.$transaction(async (tx) => {
        await tx.category.create({ data: { storeId: store.id, slug: 'a', name: 'A' } });
        await tx.category.create({ data: { storeId: store.id, slug: 'b', name: 'B' } });
      });
      expect(synced()).toBe(2);
      await sql.execute(Prisma.sql`UPDATE "Store" SET "name" = ${'Synced'} WHERE "id" = ${store.id}`);
      expect(synced()).toBe(3);
      await sql.transaction([Prisma.sql`UPDATE "Store" SET "name" = ${'Again'} WHERE "id" = ${store.id}`]);
      expect(synced()).toBe(4);
      // Reads, and a transaction that rolls back, wait for nothing.
      await db.category.findMany();
      await sql.query(Prisma.sql`SELECT "name" FROM "Store"`);
      await expect(
        db.$transaction(async (tx) => {
          await tx.category.create({ data: { storeId: store.id, slug: 'c', name: 'C' } });
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(synced()).toBe(4);
      // Writes that end together share a sync.
      await Promise.all(Array.from({ length: 20 }, (_, i) => sql.execute(Prisma.sql`UPDATE "Store" SET "name" = ${`n${i}`} WHERE "id" = ${store.id}`)));
      expect(synced()).toBeGreaterThan(4);
      expect(synced()).toBeLessThan(24);
      expect(await db.category.count()).toBe(2);
    } finally {
      await db.$disconnect();
    }
    const normal = createDb({ url, sqliteSynchronous: 'normal' });
    try {
      await normal.store.updateMany({ data: { name: 'Normal' } });
      expect(walSyncsOf(normal)).toBeNull();
    } finally {
      await normal.$disconnect();
    }
  });
});
