import { randomBytes } from 'node:crypto';
import type { Logger } from '../shared/logger.ts';
import { systemClock, type Clock } from '../shared/time.ts';
import { defaultWorkerOptions, type ClaimedJob, type ClaimRequest, type EnqueueResult, type JobHandler, type JobStore, type WorkerOptions } from './queue.ports.ts';

const MAX_ERROR_CHARS = 1000;

/** The error as stored on the job: its message (never its stack), bounded. */
function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, MAX_ERROR_CHARS);
}

/**
 * Runs the jobs of one queue from a JobStore: claims due jobs with a lease
 * (one per group at a time, oldest first; groups concurrently, up to
 * `concurrency`), renews the lease while a job runs, marks it done, and
 * retries a failed job with exponential back-off until `maxAttempts`, after
 * which it is marked done with its error and logged. Jobs left by a stopped
 * or crashed process are resumed once their lease lapses; stop() stops
 * claiming and waits for the jobs in progress.
 */
export class QueueWorker {
  readonly id = `w-${randomBytes(6).toString('hex')}`;
  private readonly opts: WorkerOptions;
  /** Jobs in progress; `until` is when the lease they hold lapses (ms since epoch). */
  private readonly running = new Map<number, { lease: string; group: string | null; until: number; done: Promise<void> }>();
  private polling: Promise<void> | null = null;
  private again = false;
  /** Slots promised to enqueues in flight (see reserve). */
  private reserved = 0;
  /** stop() waiting for the last reservation to be settled. */
  private onSettled: (() => void) | null = null;
  /** Jobs claimed for this worker after it stopped, being given back. */
  private readonly givingBack = new Set<Promise<void>>();
  /** Groups with a job this process enqueued that could not start: the job after this group's current one. */
  private readonly blocked = new Set<string | null>();
  /** Due jobs may be waiting that no enqueue or poll has taken (no free slot at the time). */
  private backlog = true;
  private seq = 0;
  private timers: NodeJS.Timeout[] = [];
  private started = false;
  private stopped = false;

  constructor(
    private readonly store: JobStore,
    readonly queue: string,
    private readonly handler: JobHandler,
    private readonly log: Logger,
    opts: Partial<WorkerOptions> = {},
    private readonly clock: Clock = systemClock,
  ) {
    this.opts = { ...defaultWorkerOptions, ...opts, backoff: { ...defaultWorkerOptions.backoff, ...opts.backoff } };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const poll = setInterval(() => this.wake(), this.opts.pollMs);
    const renew = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.opts.leaseMs / 3)));
    poll.unref();
    renew.unref();
    this.timers.push(poll, renew);
    this.wake();
  }

  /** Looks for due jobs now (after an enqueue in this process, or a job finishing). */
  wake(): void {
    if (!this.started || this.stopped) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = this.pollLoop().finally(() => (this.polling = null));
  }

  /**
   * A slot for a job this process is about to enqueue, to be claimed in the
   * same commit (EnqueueOptions.claim): a received update starts without a
   * claim of its own or a poll. Null when every slot is taken (the job waits
   * for a poll). Each reservation is settled by adopt(), also when the
   * enqueue failed.
   */
  reserve(): ClaimRequest | null {
    if (!this.started || this.stopped) return null;
    if (this.running.size + this.reserved >= this.opts.concurrency) {
      this.backlog = true;
      return null;
    }
    this.reserved++;
    return { lease: `${this.id}:${++this.seq}`, leaseMs: this.opts.leaseMs };
  }

  /** After an enqueue: runs the job it claimed, or notes that the job waits for its group (null: the enqueue failed). */
  adopt(reservation: ClaimRequest | null, result: (EnqueueResult & { group: string | null }) | null): void {
    if (reservation && --this.reserved === 0) this.onSettled?.();
    const job = result?.claimed;
    if (job && this.stopped) {
      // Stopped meanwhile: given back at once for the next worker (not left to lapse, which would skip it).
      const back = this.store
        .fail(job.id, job.lease, 'worker stopped before the job started', this.clock.now(), this.clock.now())
        .catch((err: unknown) => this.log.error({ err, queue: this.queue, job: job.id }, 'could not give a job back at stop; it is skipped when its lease lapses'));
      this.givingBack.add(back);
      void back.finally(() => this.givingBack.delete(back));
    } else if (job) {
      this.run(job);
    } else if (result?.created) {
      const group = result.group;
      // Its chat's job running here wakes the worker when it ends; if that ended meanwhile (or is elsewhere), look now.
      if (group !== null && [...this.running.values()].some((r) => r.group === group)) this.blocked.add(group);
      else this.wake();
    }
  }

  /** Stops claiming; resolves once the jobs in progress have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.polling;
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    // Enqueues still in flight may have claimed a job for this worker: wait for them (a few seconds at most) to give it back.
    if (this.reserved > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        this.onSettled = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.onSettled = null;
    }
    await Promise.allSettled([...this.givingBack]);
  }

  get busy(): number {
    return this.running.size;
  }

  private async pollLoop(): Promise<void> {
    do {
      this.again = false;
      const free = this.opts.concurrency - this.running.size - this.reserved;
      if (free <= 0) this.backlog = true;
      if (free <= 0 || this.stopped) return;
      this.backlog = false;
      let jobs: ClaimedJob[];
      try {
        jobs = await this.store.claim(this.queue, { limit: free, leaseMs: this.opts.leaseMs, lease: `${this.id}:${++this.seq}`, now: this.clock.now() });
      } catch (err) {
        this.log.error({ err, queue: this.queue }, 'job claim failed');
        this.backlog = true;
        return;
      }
      for (const job of jobs) this.run(job);
      if (jobs.length === free) this.again = this.backlog = true;
    } while (this.again && !this.stopped);
  }

  private run(job: ClaimedJob): void {
    const done = this.execute(job).finally(() => {
      this.running.delete(job.id);
      const waited = this.blocked.delete(job.group);
      // Only when something may be waiting for this slot or this group; others' jobs come with the timer's poll.
      if (this.backlog || waited) this.wake();
    });
    this.running.set(job.id, { lease: job.lease, group: job.group, until: this.clock.now().getTime() + this.opts.leaseMs, done });
  }

  private async execute(job: ClaimedJob): Promise<void> {
    try {
      await this.handler(job);
    } catch (err) {
      const giveUp = job.attempts >= this.opts.maxAttempts;
      const { baseMs, maxMs } = this.opts.backoff;
      const delay = Math.min(maxMs, baseMs * 2 ** (job.attempts - 1));
      const now = this.clock.now();
      const ctx = { err, queue: this.queue, job: job.id, key: job.key, attempts: job.attempts };
      if (giveUp) this.log.error(ctx, 'job failed; attempts exhausted, given up');
      else this.log.warn({ ...ctx, retryInMs: delay }, 'job failed; will retry');
      await this.store
        .fail(job.id, job.lease, errorText(err), giveUp ? null : new Date(now.getTime() + delay), now)
        .catch((e: unknown) => this.log.error({ err: e, queue: this.queue, job: job.id }, 'could not record job failure; it runs again when its lease lapses'));
      return;
    }
    await this.store
      .complete([job.id], job.lease, this.clock.now())
      .catch((err: unknown) => this.log.error({ err, queue: this.queue, job: job.id }, 'could not mark job done; it runs again when its lease lapses'));
  }

  /**
   * Keeps the leases of long jobs alive, so they are not taken by another
   * worker: each tick (every third of a lease) renews those with less than
   * half a lease left. A job that ends within half a lease, as a chat update
   * does in milliseconds, is never renewed: a write per running job every
   * tick was a stall for every reply in flight.
   */
  private async renew(): Promise<void> {
    const now = this.clock.now().getTime();
    const byLease = new Map<string, number[]>();
    for (const [id, r] of this.running) if (r.until - now < this.opts.leaseMs / 2) byLease.set(r.lease, [...(byLease.get(r.lease) ?? []), id]);
    const until = now + this.opts.leaseMs;
    for (const [lease, ids] of byLease) {
      try {
        await this.store.extend(ids, lease, new Date(until));
        for (const id of ids) {
          const r = this.running.get(id);
          if (r) r.until = until;
        }
      } catch (err) {
        this.log.warn({ err, queue: this.queue }, 'job lease renewal failed');
      }
    }
  }
}
