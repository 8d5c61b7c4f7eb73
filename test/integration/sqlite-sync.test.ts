import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type SqliteSynchronous } from '../../src/infra/db/client.ts';

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
});
