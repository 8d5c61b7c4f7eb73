import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDb, WAL_CHECKPOINT_PAGES, type SqliteSynchronous } from '../../src/infra/db/client.ts';
import { directSql } from '../../src/infra/db/direct-sql.ts';
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

  it('syncs every commit by default (FULL = 2) and at checkpoints with normal (NORMAL = 1), always in WAL mode', async () => {
    expect(await modeOf(undefined)).toEqual({ synchronous: 2, journal: 'wal' });
    expect(await modeOf('full')).toEqual({ synchronous: 2, journal: 'wal' });
    expect(await modeOf('normal')).toEqual({ synchronous: 1, journal: 'wal' });
  });

  it('runs an unsynced write with NORMAL for that statement alone, and restores the setting, also when it fails', async () => {
    // Every statement better-sqlite3 runs in this process, by its SQL text.
    const probe = new Database(':memory:');
    const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run: (...a: unknown[]) => unknown };
    probe.close();
    const ran: string[] = [];
    const run = proto.run;
    const spy = vi.spyOn(proto, 'run').mockImplementation(function (this: { source: string }, ...args: unknown[]) {
      ran.push(this.source);
      return run.apply(this, args);
    });
    const db = createDb({ url: `file:${join(dir, 'unsynced.db')}` });
    try {
      await db.$executeRawUnsafe('CREATE TABLE t (k TEXT PRIMARY KEY)');
      const sql = directSql(db);
      ran.length = 0;
      expect(await sql.executeUnsynced(Prisma.sql`INSERT INTO t (k) VALUES (${'a'})`)).toBe(1);
      expect(ran).toEqual(['PRAGMA synchronous = NORMAL', 'INSERT INTO t (k) VALUES (?)', 'PRAGMA synchronous = FULL']);
      await expect(sql.executeUnsynced(Prisma.sql`INSERT INTO t (k) VALUES (${'a'})`)).rejects.toThrow(/UNIQUE/);
      ran.length = 0;
      expect(await sql.execute(Prisma.sql`INSERT INTO t (k) VALUES (${'b'})`)).toBe(1);
      expect(ran).toEqual(['INSERT INTO t (k) VALUES (?)']);
      const [mode] = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>('PRAGMA synchronous');
      expect(Number(mode?.synchronous)).toBe(2);
      expect(await sql.query<{ k: string }>(Prisma.sql`SELECT k FROM t ORDER BY k`)).toEqual([{ k: 'a' }, { k: 'b' }]);
    } finally {
      spy.mockRestore();
      await db.$disconnect();
    }
  });

  it("lets the log grow past SQLite's default 1,000 pages and checkpoints it at WAL_CHECKPOINT_PAGES", async () => {
    const file = join(dir, 'checkpoint.db');
    const db = createDb({ url: `file:${file}`, sqliteSynchronous: 'normal' });
    // A WAL file is a 32-byte header and frames of one page (4096 bytes here) with a 24-byte header each.
    const framesInLog = () => (statSync(`${file}-wal`).size - 32) / (4096 + 24);
    try {
      const [setting] = await db.$queryRawUnsafe<{ wal_autocheckpoint: bigint | number }[]>('PRAGMA wal_autocheckpoint');
      expect(Number(setting?.wal_autocheckpoint)).toBe(WAL_CHECKPOINT_PAGES);
      await db.$executeRawUnsafe('CREATE TABLE blob (id INTEGER PRIMARY KEY, b BLOB)');
      const sql = directSql(db);
      // Each commit writes ten pages of its own (a 40 KB row spills into overflow pages).
      const commit = () => sql.execute(Prisma.sql`INSERT INTO blob (b) VALUES (randomblob(40000))`);
      for (let i = 0; i < 150; i++) await commit();
      // SQLite's default would have checkpointed at 1,000 frames and started the log again from its beginning.
      expect(framesInLog()).toBeGreaterThan(1_400);
      for (let i = 0; i < (WAL_CHECKPOINT_PAGES / 10) * 1.5; i++) await commit();
      // 16,500 frames were written in all: the log was checkpointed and reused instead of growing with them.
      expect(framesInLog()).toBeLessThan(WAL_CHECKPOINT_PAGES + 100);
      const [rows] = await sql.query<{ n: number }>(Prisma.sql`SELECT count(*) AS n FROM blob`);
      expect(rows?.n).toBe(150 + (WAL_CHECKPOINT_PAGES / 10) * 1.5);
    } finally {
      await db.$disconnect();
    }
  });
});
