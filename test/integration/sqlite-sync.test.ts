import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDb, type SqliteSynchronous } from '../../src/infra/db/client.ts';
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
});
