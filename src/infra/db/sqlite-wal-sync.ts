import { closeSync, fdatasync, openSync } from 'node:fs';

/**
 * Durable commits without an fsync on the event loop. With
 * `synchronous = FULL` SQLite syncs the write-ahead log inside every COMMIT:
 * the whole process stops for it (0.2 ms here, now and then 5-18 ms), once
 * or twice per chat message. Instead the connection runs with
 * `synchronous = NORMAL` (commits only write the log) and this syncs the log
 * file on libuv's thread pool before the committing caller goes on: a write
 * still resolves only once it is on disk, commits that end while a sync runs
 * share the next one, and the event loop keeps serving other work meanwhile.
 *
 * Commits are numbered as they end on the connection (everything on it runs
 * one unit at a time, see sqlite-connection-lock.ts); a sync covers every
 * commit numbered before it started. One difference from FULL: for the
 * moment of that sync, another request may read a commit that is not yet on
 * disk. Its writer has not gone on, and any later write of the reader is
 * synced after it. Checkpoints stay SQLite's own (NORMAL syncs the log
 * before each and the database after).
 */
export class WalSync {
  private fd: number | null = null;
  /** A statement that may have changed the database ran in the unit now on the connection. */
  private wrote = false;
  private committed = 0;
  private synced = 0;
  private running: Promise<void> | null = null;

  /** Syncs done (tests and benchmarks read it). */
  syncs = 0;

  constructor(
    private readonly walPath: string,
    /** Syncs a file's data (default: fdatasync on libuv's thread pool). */
    private readonly syncFile: (fd: number) => Promise<void> = (fd) => new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve()))),
  ) {}

  /** A statement that is not read-only ran. */
  noteWrite(): void {
    this.wrote = true;
  }

  /**
   * The unit on the connection ended: the number of its commit to wait for
   * with durable(), or 0 when it wrote nothing (or rolled back).
   */
  endUnit(committed = true): number {
    const wrote = this.wrote;
    this.wrote = false;
    return wrote && committed ? ++this.committed : 0;
  }

  /** Resolves once commit `n` (from endUnit) is on disk; a failed sync rejects every commit it covered. */
  async durable(n: number): Promise<void> {
    while (this.synced < n) {
      if (!this.running) this.running = this.sync();
      await this.running;
    }
  }

  private async sync(): Promise<void> {
    const upTo = this.committed;
    try {
      this.fd ??= this.open();
      // No log yet (a new database that only ran pragmas): nothing was committed to it.
      if (this.fd !== null) {
        await this.syncFile(this.fd);
        this.syncs++;
      }
      this.synced = Math.max(this.synced, upTo);
    } finally {
      this.running = null;
    }
  }

  private open(): number | null {
    try {
      return openSync(this.walPath, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
