import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Job } from '../../jobs/job-runner.ts';
import type { Logger } from '../../shared/logger.ts';

export interface BullmqJobSchedulerOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix (tests use one each). */
  prefix?: string | undefined;
}

/** The queue periodic jobs' runs go through. */
const QUEUE = 'periodic';

/**
 * Periodic jobs shared by every instance (REDIS_URL): each job is a BullMQ
 * job scheduler named after it (`every` its period), upserted by every
 * instance at start, so there is one schedule and one run per period,
 * taken by whichever instance's worker is free. The same `start`/`stop` as
 * the in-process JobRunner, which runs them on every instance instead.
 *
 * A run that outlasts its period may overlap the next one on another
 * instance: the jobs given must stay safe then (the automations claim each
 * message in the database before sending it).
 */
export class BullmqJobScheduler {
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private stopped = false;

  constructor(
    private readonly log: Logger,
    private readonly opts: BullmqJobSchedulerOptions,
  ) {
    this.queue = new Queue(QUEUE, { connection: opts.connection, prefix: opts.prefix ?? 'chatshop:bull' });
    this.queue.on('error', (err) => this.log.warn({ err: { message: err.message }, queue: QUEUE }, 'periodic job queue error'));
  }

  async start(jobs: Job[]): Promise<void> {
    const byName = new Map(jobs.map((j) => [j.name, j]));
    for (const job of jobs) {
      await this.queue.upsertJobScheduler(job.name, { every: job.everyMs }, { name: job.name, opts: { removeOnComplete: true, removeOnFail: true } });
    }
    if (this.stopped) return; // stopped while Redis was being waited for
    this.worker = new Worker(
      QUEUE,
      async (run) => {
        const job = byName.get(run.name);
        // A job another instance schedules and this one does not run (another version): left for that one.
        if (!job) return;
        try {
          await job.run();
        } catch (err) {
          this.log.error({ err, job: job.name }, 'job failed');
        }
      },
      { connection: this.opts.connection, prefix: this.opts.prefix ?? 'chatshop:bull', concurrency: 1, removeOnComplete: { count: 0 }, removeOnFail: { count: 0 } },
    );
    this.worker.on('error', (err) => this.log.warn({ err: { message: err.message }, queue: QUEUE }, 'periodic job worker error'));
  }

  /** Stops taking runs (waiting for the one in progress); the schedules stay for the other instances. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.worker?.close();
    await this.queue.close();
  }
}
