import type { Logger } from '../shared/logger.ts';

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/**
 * In-process interval jobs (sweepers) for every instance. A run never
 * overlaps the previous one; stop() waits for a run in progress. Work that
 * must survive a restart or be shared by instances goes through the durable
 * queue instead (queue.ports.ts, the Job table).
 */
export class JobRunner {
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly log: Logger) {}

  start(jobs: Job[]): void {
    for (const job of jobs) {
      let busy = false;
      const tick = () => {
        if (busy || this.stopped) return;
        busy = true;
        const p = job
          .run()
          .catch((err: unknown) => this.log.error({ err, job: job.name }, 'job failed'))
          .finally(() => {
            busy = false;
            this.running.delete(p);
          });
        this.running.add(p);
      };
      const t = setInterval(tick, job.everyMs);
      t.unref();
      this.timers.push(t);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.allSettled([...this.running]);
  }
}
