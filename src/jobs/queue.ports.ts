/**
 * A small durable job queue (the `Job` table): inbound webhook updates now,
 * outbound deliveries later. Each job has an idempotency key (per queue) and
 * an optional group; jobs of one group run one at a time in enqueue order,
 * different groups run concurrently. Work is claimed with a lease, so a job
 * held by a crashed worker is picked up again once its lease lapses.
 */

export type JobPayload = string | number | boolean | null | JobPayload[] | { [key: string]: JobPayload };
/** A job's payload: a JSON object. */
export type JobData = { [key: string]: JobPayload };

export interface EnqueueOptions {
  /** Idempotency key: enqueueing the same (queue, key) again makes no second job. */
  key: string;
  /** Jobs sharing a group run one at a time, oldest first (e.g. one chat). */
  group?: string | null | undefined;
  /** Not before this time (default: now). */
  runAt?: Date | undefined;
  /**
   * Claims the job in the same commit when it is due and heads its group,
   * for a worker of this process that has a free slot (QueueWorker.reserve):
   * a received update starts at once, without a claim of its own.
   */
  claim?: ClaimRequest | null | undefined;
}

/** A worker's lease for a job it will run as soon as it is enqueued. */
export interface ClaimRequest {
  lease: string;
  leaseMs: number;
}

export interface EnqueueResult {
  id: number;
  /** False when (queue, key) already existed (nothing changed). */
  created: boolean;
  /** The job, held under the requested lease, when `claim` was asked for and it could be taken. */
  claimed: ClaimedJob | null;
}

export interface ClaimedJob {
  id: number;
  queue: string;
  key: string;
  group: string | null;
  payload: JobData;
  /** Attempts including this one. */
  attempts: number;
  /** The lease token this claim holds; completion and retries are conditional on it. */
  lease: string;
  /**
   * True when an earlier claim's lease lapsed without the job being completed
   * or given back (its worker died or hung mid-run): the job may have had
   * effects already. Handlers that must not act twice skip such a job.
   */
  resumed: boolean;
}

export interface ClaimOptions {
  /** Most jobs to claim in one go. */
  limit: number;
  /** How long the claim holds before another worker may take the job. */
  leaseMs: number;
  /** Unique per claim round (worker id + sequence). */
  lease: string;
  now: Date;
}

/** The storage side of the queue; one implementation per database family. */
export interface JobStore {
  /** Adds a job (claimed at once when opts.claim asks and it can be); `created` is false when (queue, key) already existed. */
  enqueue(queue: string, payload: JobData, opts: EnqueueOptions): Promise<EnqueueResult>;
  /**
   * Claims due jobs: not done, runAt ≤ now, no live lease, and the oldest
   * unfinished job of their group. Safe with many workers and instances:
   * each job is taken by one conditional update on its lease.
   */
  claim(queue: string, opts: ClaimOptions): Promise<ClaimedJob[]>;
  /** Pushes the lease of jobs still running further out; returns how many were still held. */
  extend(jobIds: readonly number[], lease: string, until: Date): Promise<number>;
  /** Marks jobs done (only those still held under `lease`). */
  complete(jobIds: readonly number[], lease: string, now: Date): Promise<void>;
  /** Gives a failed job back for a retry at `retryAt`, or, with null, marks it done with its error (given up). */
  fail(jobId: number, lease: string, error: string, retryAt: Date | null, now: Date): Promise<void>;
  /** Deletes jobs finished before `before`; returns how many. */
  prune(before: Date): Promise<number>;
  /** Unfinished jobs of a queue (health, tests). */
  pending(queue: string): Promise<number>;
}

export type JobHandler = (job: ClaimedJob) => Promise<void>;

export interface WorkerOptions {
  /** Jobs running at once (across groups). Default 8. */
  concurrency: number;
  /** Lease per claim; renewed while a job runs. Default 30 s. */
  leaseMs: number;
  /** How often an idle worker looks for due jobs (others' enqueues, retries). Default 500 ms. */
  pollMs: number;
  /** Attempts before a job is given up (marked done with its error). Default 5. */
  maxAttempts: number;
  /** Back-off after the n-th failed attempt: baseMs · 2^(n−1), at most maxMs. */
  backoff: { baseMs: number; maxMs: number };
}

export const defaultWorkerOptions: WorkerOptions = {
  concurrency: 8,
  leaseMs: 30_000,
  pollMs: 500,
  maxAttempts: 5,
  backoff: { baseMs: 1000, maxMs: 5 * 60_000 },
};

/**
 * How long finished jobs are kept before pruning. A job's key is what makes a
 * replayed Telegram update a no-op (see TelegramInbox), and Telegram stops
 * redelivering an update after 24 hours: a week covers every replay.
 */
export const DONE_JOBS_KEPT_MS = 7 * 24 * 3600_000;
