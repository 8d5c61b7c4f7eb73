import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockSqliteConnection } from '../../src/infra/db/sqlite-connection-lock.ts';
import { WalSync } from '../../src/infra/db/sqlite-wal-sync.ts';

const dir = mkdtempSync(join(tmpdir(), 'chatshop-walsync-'));
const wal = join(dir, 'shop.db-wal');
writeFileSync(wal, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sync the test finishes by hand: each call waits in `pending` until resolved or failed. */
function manualSync() {
  const pending: { done: () => void; fail: (err: Error) => void }[] = [];
  const syncFile = () => new Promise<void>((resolve, reject) => pending.push({ done: resolve, fail: reject }));
  return { pending, syncFile };
}

const settled = async <T>(p: Promise<T>) => {
  let state = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await new Promise((r) => setImmediate(r));
  return state;
};

describe('WalSync: durable commits synced off the event loop', () => {
  it('a commit waits for a sync that started after it; commits ending meanwhile share the next one', async () => {
    const { pending, syncFile } = manualSync();
    const sync = new WalSync(wal, syncFile);
    sync.noteWrite();
    const first = sync.durable(sync.endUnit());
    expect(await settled(first)).toBe('pending');
    // Two commits end while the first sync runs: it may not hold them.
    sync.noteWrite();
    const second = sync.durable(sync.endUnit());
    sync.noteWrite();
    const third = sync.durable(sync.endUnit());
    pending.shift()?.done();
    expect(await settled(first)).toBe('resolved');
    expect(await settled(second)).toBe('pending');
    expect(pending).toHaveLength(1);
    pending.shift()?.done();
    await Promise.all([second, third]);
    expect(sync.syncs).toBe(2);
    sync.close();
  });

  it('a unit that wrote nothing or rolled back has no commit to wait for', () => {
    const sync = new WalSync(wal, manualSync().syncFile);
    expect(sync.endUnit()).toBe(0);
    sync.noteWrite();
    expect(sync.endUnit(false)).toBe(0);
    expect(sync.endUnit()).toBe(0);
  });

  it('a failed sync fails the commits it covered; the next write syncs again', async () => {
    const { pending, syncFile } = manualSync();
    const sync = new WalSync(wal, syncFile);
    sync.noteWrite();
    const failing = sync.durable(sync.endUnit());
    pending.shift()?.fail(new Error('EIO'));
    await expect(failing).rejects.toThrow('EIO');
    sync.noteWrite();
    const next = sync.durable(sync.endUnit());
    pending.shift()?.done();
    await next;
    expect(sync.syncs).toBe(1);
    sync.close();
  });
});

describe('the connection lock with WalSync', () => {
  /** The adapter surface the lock wraps: writes note themselves, as the statement cache does. */
  function adapter(sync: WalSync) {
    const inner = {
      executeRaw: () => {
        sync.noteWrite();
        return Promise.resolve(1);
      },
      queryRaw: () => Promise.resolve({ columnNames: [], columnTypes: [], rows: [] }),
      executeScript: () => Promise.resolve(),
      startTransaction: () =>
        Promise.resolve({
          executeRaw: () => {
            sync.noteWrite();
            return Promise.resolve(1);
          },
          commit: () => Promise.resolve(),
          rollback: () => Promise.resolve(),
        }),
    };
    return lockSqliteConnection(inner as unknown as Parameters<typeof lockSqliteConnection>[0], sync);
  }

  it('a write resolves once it is on disk, and the connection serves others meanwhile', async () => {
    const { pending, syncFile } = manualSync();
    const sync = new WalSync(wal, syncFile);
    const { adapter: a } = adapter(sync);
    const write = a.executeRaw({ sql: 'UPDATE', args: [], argTypes: [] });
    expect(await settled(write)).toBe('pending');
    expect(pending).toHaveLength(1);
    // The lock is free while the sync runs: a read goes through at once.
    await a.queryRaw({ sql: 'SELECT', args: [], argTypes: [] });
    pending.shift()?.done();
    expect(await write).toBe(1);
    sync.close();
  });

  it('a transaction commit waits for its sync; a rollback does not', async () => {
    const { pending, syncFile } = manualSync();
    const sync = new WalSync(wal, syncFile);
    const { adapter: a } = adapter(sync);
    const tx = await a.startTransaction();
    await tx.executeRaw({ sql: 'INSERT', args: [], argTypes: [] });
    const commit = tx.commit();
    expect(await settled(commit)).toBe('pending');
    pending.shift()?.done();
    await commit;
    const rolledBack = await a.startTransaction();
    await rolledBack.executeRaw({ sql: 'INSERT', args: [], argTypes: [] });
    await rolledBack.rollback();
    expect(pending).toHaveLength(0);
    expect(sync.syncs).toBe(1);
    sync.close();
  });
});
