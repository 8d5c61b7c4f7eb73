import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3['connect']>>;
type Tx = Awaited<ReturnType<Adapter['startTransaction']>>;

/** A FIFO lock: each holder runs alone, in arrival order. */
class Lock {
  private tail: Promise<void> = Promise.resolve();
  async acquire(): Promise<() => void> {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => held);
    await previous;
    return release;
  }
}

/**
 * Prisma's better-sqlite3 adapter has ONE connection. Its interactive
 * transactions exclude each other, but a query outside any transaction runs
 * on that same connection at once — inside whatever transaction is open. If
 * that transaction then rolls back (a checkout that could not hold its
 * stock), the outside write is silently undone with it (seen: a payment row
 * recorded for a placed order vanished while 500 checkouts raced).
 *
 * This wrapper makes statements outside a transaction wait until no
 * transaction is open, and transactions wait for them: one unit of work on
 * the connection at a time, which is what SQLite's single writer does anyway.
 */
/** Runs work on the connection when no transaction or other statement holds it. */
export type Alone = <T>(work: () => T | Promise<T>) => Promise<T>;

export function lockSqliteConnection(inner: Adapter): { adapter: Adapter; alone: Alone } {
  const lock = new Lock();
  const alone: Alone = async (work) => {
    const release = await lock.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  };
  const wrapTx = (tx: Tx, release: () => void): Tx => {
    let released = false;
    const done = () => {
      if (!released) {
        released = true;
        release();
      }
    };
    return Object.assign(Object.create(tx) as Tx, {
      commit: () => tx.commit().finally(done),
      rollback: () => tx.rollback().finally(done),
    });
  };
  const adapter = Object.assign(Object.create(inner) as Adapter, {
    queryRaw: (q: Parameters<Adapter['queryRaw']>[0]) => alone(() => inner.queryRaw(q)),
    executeRaw: (q: Parameters<Adapter['executeRaw']>[0]) => alone(() => inner.executeRaw(q)),
    executeScript: (script: string) => alone(() => inner.executeScript(script)),
    startTransaction: async (isolationLevel?: Parameters<Adapter['startTransaction']>[0]) => {
      const release = await lock.acquire();
      try {
        return wrapTx(await inner.startTransaction(isolationLevel), release);
      } catch (err) {
        release();
        throw err;
      }
    },
  });
  return { adapter, alone };
}
