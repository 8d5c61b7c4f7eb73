/**
 * Group commit: calls made in the same turn of the event loop, or while a
 * flush is in flight, are written together. A lone call waits one
 * setImmediate (microseconds); under load, N calls cost one statement and one
 * commit instead of N — on
 * SQLite with durable syncs each commit is an fsync, so this is what lets the
 * queue keep up. A failed flush rejects every call in it (nothing is half
 * written: each flush is one statement).
 */
export class Coalescer<I, O> {
  private pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 200,
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.flushing || this.scheduled) return;
      // After the I/O callbacks already due (other requests received meanwhile), so they join this flush.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drain();
      });
    });
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const out = await this.flush(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(out[i] as O));
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
