import type { Db } from '../db/client.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import { asJson, asNumber, directSql, type DirectSql } from '../db/direct-sql.ts';
import { Coalescer } from '../../jobs/coalescer.ts';
import type { ClaimedJob, ClaimOptions, EnqueueOptions, EnqueueResult, JobData, JobStore } from '../../jobs/queue.ports.ts';

type NewJob = { queue: string; payload: JobData; opts: EnqueueOptions };

/** Due rows a claim looks among for group heads (oldest first). */
const WINDOW = 500;

type JobRow = { id: number; key: string; groupKey: string | null; payload: unknown; attempts: number };
const RETURNED = Prisma.sql`"id", "key", "groupKey", "payload", "attempts"`;

/** An unfinished job of the same queue and group enqueued before `j` (so `j` does not head its group). */
const earlierInGroup = (j: Prisma.Sql) =>
  Prisma.sql`SELECT 1 FROM "Job" e WHERE e."queue" = ${j}."queue" AND e."groupKey" = ${j}."groupKey" AND e."doneAt" IS NULL AND e."id" < ${j}."id"`;

/** A job's identity within a batch: its queue and idempotency key. */
const jobKey = (queue: string, key: string) => `${queue}\u0000${key}`;

/** Claimed rows as ClaimedJobs, oldest first. */
function toClaimed(queue: string, rows: JobRow[], lease: string, resumed: ReadonlySet<number>): ClaimedJob[] {
  return rows
    .map((r) => ({ ...r, id: asNumber(r.id), attempts: asNumber(r.attempts) }))
    .sort((a, b) => a.id - b.id)
    .map((r) => ({
      id: r.id,
      queue,
      key: r.key,
      group: r.groupKey,
      payload: asJson(r.payload) as JobData,
      attempts: r.attempts,
      lease,
      resumed: resumed.has(r.id),
    }));
}

/**
 * The job queue on the `Job` table, the same code on SQLite and PostgreSQL,
 * in portable SQL on the direct path (direct-sql.ts): enqueue, claim and done
 * each run once or more per Telegram update. An enqueue can claim its job in
 * the same commit for this process's worker (EnqueueOptions.claim). A claim picks
 * due, unleased jobs that are the oldest unfinished job of their group, then
 * takes them with ONE conditional UPDATE … RETURNING (`doneAt IS NULL AND
 * (lockedUntil IS NULL OR lockedUntil < now)`) stamping a lease token unique
 * to this claim. Two workers racing for a job: SQLite runs the updates one
 * after the other, PostgreSQL re-checks the WHERE on the locked row, so
 * exactly one update matches it.
 */
export class PrismaJobStore implements JobStore {
  private readonly enqueues = new Coalescer<NewJob, EnqueueResult>((jobs) => this.enqueueMany(jobs));
  private readonly completions = new Coalescer<{ ids: readonly number[]; lease: string; now: Date }, void>((done) => this.completeMany(done));

  private readonly sql: DirectSql;

  constructor(private readonly db: Db) {
    this.sql = directSql(db);
  }

  /** Concurrent enqueues are written together (group commit); see Coalescer. */
  enqueue(queue: string, payload: JobData, opts: EnqueueOptions): Promise<EnqueueResult> {
    return this.enqueues.push({ queue, payload, opts });
  }

  /**
   * One INSERT … ON CONFLICT DO NOTHING for the batch, and in the same
   * transaction one claiming UPDATE per lease asked for (by key: due, never
   * claimed, heading its group, as claim() would take it). The inserted rows
   * returned were created; a key skipped already existed (or came twice in
   * the batch), and that job's id is looked up.
   */
  private async enqueueMany(jobs: NewJob[]): Promise<EnqueueResult[]> {
    const now = new Date();
    const values = jobs.map(
      ({ queue, payload, opts }) => Prisma.sql`(${queue}, ${opts.key}, ${opts.group ?? null}, ${this.sql.json(payload)}, ${opts.runAt ?? now}, 0, ${now})`,
    );
    const claims = new Map<string, { queue: string; leaseMs: number; keys: string[] }>();
    for (const { queue, opts } of jobs) {
      if (!opts.claim) continue;
      const c = claims.get(opts.claim.lease) ?? { queue, leaseMs: opts.claim.leaseMs, keys: [] };
      c.keys.push(opts.key);
      claims.set(opts.claim.lease, c);
    }
    const [inserted = [], ...claimed] = await this.sql.transaction([
      Prisma.sql`
        INSERT INTO "Job" ("queue", "key", "groupKey", "payload", "runAt", "attempts", "createdAt") VALUES ${Prisma.join(values)}
        ON CONFLICT ("queue", "key") DO NOTHING RETURNING "id", "queue", "key"`,
      ...[...claims].map(
        ([lease, c]) => Prisma.sql`
          UPDATE "Job" SET "lockedUntil" = ${new Date(now.getTime() + c.leaseMs)}, "lockedBy" = ${lease}, "attempts" = "attempts" + 1
          WHERE "queue" = ${c.queue} AND "key" IN (${Prisma.join(c.keys)}) AND "doneAt" IS NULL AND "lockedBy" IS NULL AND "runAt" <= ${now}
            AND ("groupKey" IS NULL OR NOT EXISTS (${earlierInGroup(Prisma.sql`"Job"`)}))
          RETURNING ${RETURNED}`,
      ),
    ]);
    const taken = new Map<string, ClaimedJob>();
    [...claims].forEach(([lease, c], i) => {
      for (const job of toClaimed(c.queue, (claimed[i] ?? []) as JobRow[], lease, new Set())) taken.set(jobKey(job.queue, job.key), job);
    });
    const created = new Map(inserted.map((r) => [jobKey(String(r.queue), String(r.key)), asNumber(r.id)]));
    const out = jobs.map((j): EnqueueResult => {
      const k = jobKey(j.queue, j.opts.key);
      const id = created.get(k);
      const job = j.opts.claim ? (taken.get(k) ?? null) : null;
      // The first job with this key in the batch is the created one, and the one that runs it.
      created.delete(k);
      if (job) taken.delete(k);
      return { id: id ?? job?.id ?? 0, created: id !== undefined, claimed: job };
    });
    // Keys that were there already: their ids, one query per queue (a redelivery after downtime can bring many).
    const missing = new Map<string, string[]>();
    jobs.forEach((j, i) => {
      if (!out[i]?.id) missing.set(j.queue, [...(missing.get(j.queue) ?? []), j.opts.key]);
    });
    const existing = new Map<string, number>();
    for (const [queue, keys] of missing) {
      const rows = await this.sql.query<{ id: number; key: string }>(Prisma.sql`SELECT "id", "key" FROM "Job" WHERE "queue" = ${queue} AND "key" IN (${Prisma.join(keys)})`);
      for (const r of rows) existing.set(jobKey(queue, r.key), asNumber(r.id));
    }
    // Gone already means it was done and pruned: still "already enqueued" (id 0).
    jobs.forEach((j, i) => {
      const o = out[i];
      if (o && !o.id) o.id = existing.get(jobKey(j.queue, j.opts.key)) ?? 0;
    });
    return out;
  }

  /**
   * Due, unleased group heads (the oldest unfinished job of their group),
   * looked for among the first WINDOW due rows, then taken by one conditional
   * UPDATE … RETURNING: what it returns is exactly what this claim holds.
   */
  async claim(queue: string, { limit, leaseMs, lease, now }: ClaimOptions): Promise<ClaimedJob[]> {
    const picked = await this.sql.query<{ id: number; lockedBy: string | null }>(Prisma.sql`
      SELECT j."id", j."lockedBy" FROM (
        SELECT "id", "queue", "groupKey", "lockedBy" FROM "Job"
        WHERE "queue" = ${queue} AND "doneAt" IS NULL AND "runAt" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
        ORDER BY "id" LIMIT ${WINDOW}
      ) j
      WHERE j."groupKey" IS NULL OR NOT EXISTS (${earlierInGroup(Prisma.sql`j`)})
      ORDER BY j."id" LIMIT ${limit}`);
    if (!picked.length) return [];
    const rows = await this.sql.query<JobRow>(Prisma.sql`
      UPDATE "Job" SET "lockedUntil" = ${new Date(now.getTime() + leaseMs)}, "lockedBy" = ${lease}, "attempts" = "attempts" + 1
      WHERE "id" IN (${Prisma.join(picked.map((p) => p.id))}) AND "doneAt" IS NULL AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
      RETURNING ${RETURNED}`);
    // fail() gives a job back with lockedBy cleared; a lease still named on a due job lapsed mid-run.
    const resumed = new Set(picked.filter((p) => p.lockedBy !== null).map((p) => p.id));
    return toClaimed(queue, rows, lease, resumed);
  }

  async extend(jobIds: readonly number[], lease: string, until: Date): Promise<number> {
    const r = await this.db.job.updateMany({ where: { id: { in: [...jobIds] }, lockedBy: lease, doneAt: null }, data: { lockedUntil: until } });
    return r.count;
  }

  /** Concurrent completions are written together (group commit). */
  complete(jobIds: readonly number[], lease: string, now: Date): Promise<void> {
    return this.completions.push({ ids: jobIds, lease, now });
  }

  private async completeMany(done: { ids: readonly number[]; lease: string; now: Date }[]): Promise<void[]> {
    const now = done.reduce((t, d) => (d.now > t ? d.now : t), done[0]?.now ?? new Date());
    const held = done.map((d) => Prisma.sql`("id" IN (${Prisma.join([...d.ids])}) AND "lockedBy" = ${d.lease})`);
    // Unsynced: a done mark lost in a power cut leaves the job claimed with its lease lapsing, so it is claimed
    // again as `resumed`, which handlers that must not act twice skip (the inbox does). One fsync fewer per update.
    await this.sql.executeUnsynced(Prisma.sql`UPDATE "Job" SET "doneAt" = ${now}, "lockedUntil" = NULL WHERE "doneAt" IS NULL AND (${Prisma.join(held, ' OR ')})`);
    return done.map(() => undefined);
  }

  async fail(jobId: number, lease: string, error: string, retryAt: Date | null, now: Date): Promise<void> {
    await this.db.job.updateMany({
      where: { id: jobId, lockedBy: lease, doneAt: null },
      data: retryAt ? { lastError: error, runAt: retryAt, lockedUntil: null, lockedBy: null } : { lastError: error, doneAt: now, lockedUntil: null },
    });
  }

  async prune(before: Date): Promise<number> {
    const r = await this.db.job.deleteMany({ where: { doneAt: { lt: before } } });
    return r.count;
  }

  pending(queue: string): Promise<number> {
    return this.db.job.count({ where: { queue, doneAt: null } });
  }
}
