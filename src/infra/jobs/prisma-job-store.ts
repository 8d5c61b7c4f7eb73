import type { Db } from '../db/client.ts';
import { isUniqueViolation } from '../prisma/prisma-errors.ts';
import { Coalescer } from '../../jobs/coalescer.ts';
import type { ClaimedJob, ClaimOptions, EnqueueOptions, JobData, JobStore } from '../../jobs/queue.ports.ts';

type NewJob = { queue: string; payload: JobData; opts: EnqueueOptions };

/** Due rows looked at per page when picking group heads, and pages at most per claim. */
const PAGE = 100;
const MAX_PAGES = 5;

/**
 * The job queue on the `Job` table, the same code on SQLite and PostgreSQL
 * (Prisma's typed API only). A claim picks due, unleased jobs that are the
 * oldest unfinished job of their group, then takes them with ONE conditional
 * UPDATE (`doneAt IS NULL AND (lockedUntil IS NULL OR lockedUntil < now)`)
 * stamping a lease token unique to this claim, and reads back what that token
 * holds. Two workers racing for a job: SQLite runs the updates one after the
 * other, PostgreSQL re-checks the WHERE on the locked row, so exactly one
 * update matches it.
 */
export class PrismaJobStore implements JobStore {
  private readonly enqueues = new Coalescer<NewJob, { id: number; created: boolean }>((jobs) => this.enqueueMany(jobs));
  private readonly completions = new Coalescer<{ ids: readonly number[]; lease: string; now: Date }, void>((done) => this.completeMany(done));

  constructor(private readonly db: Db) {}

  /** Concurrent enqueues are written together (group commit); see Coalescer. */
  enqueue(queue: string, payload: JobData, opts: EnqueueOptions): Promise<{ id: number; created: boolean }> {
    return this.enqueues.push({ queue, payload, opts });
  }

  /** One INSERT for the batch; when a key already exists, each job is enqueued on its own to tell which. */
  private async enqueueMany(jobs: NewJob[]): Promise<{ id: number; created: boolean }[]> {
    if (jobs.length > 1) {
      try {
        const rows = await this.db.job.createManyAndReturn({
          data: jobs.map(({ queue, payload, opts }) => ({ queue, key: opts.key, groupKey: opts.group ?? null, payload, ...(opts.runAt && { runAt: opts.runAt }) })),
          select: { id: true, queue: true, key: true },
        });
        const ids = new Map(rows.map((r) => [`${r.queue}\u0000${r.key}`, r.id]));
        return jobs.map((j) => ({ id: ids.get(`${j.queue}\u0000${j.opts.key}`) ?? 0, created: true }));
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    const out: { id: number; created: boolean }[] = [];
    for (const j of jobs) out.push(await this.enqueueOne(j.queue, j.payload, j.opts));
    return out;
  }

  private async enqueueOne(queue: string, payload: JobData, opts: EnqueueOptions): Promise<{ id: number; created: boolean }> {
    try {
      const job = await this.db.job.create({
        data: { queue, key: opts.key, groupKey: opts.group ?? null, payload, ...(opts.runAt && { runAt: opts.runAt }) },
        select: { id: true },
      });
      return { id: job.id, created: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const existing = await this.db.job.findUnique({ where: { queue_key: { queue, key: opts.key } }, select: { id: true } });
      // Gone already means it was done and pruned: still "already enqueued".
      return { id: existing?.id ?? 0, created: false };
    }
  }

  async claim(queue: string, { limit, leaseMs, lease, now }: ClaimOptions): Promise<ClaimedJob[]> {
    const picked = await this.pickHeads(queue, limit, now);
    if (!picked.length) return [];
    const ids = picked.map((p) => p.id);
    const taken = await this.db.job.updateMany({
      where: { id: { in: ids }, doneAt: null, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      data: { lockedUntil: new Date(now.getTime() + leaseMs), lockedBy: lease, attempts: { increment: 1 } },
    });
    if (!taken.count) return [];
    // All taken (the usual case): the rows read before are ours. Otherwise another
    // worker won some: read back which, by primary key (lockedBy has no index).
    const ours =
      taken.count === picked.length
        ? picked.map((p) => ({ ...p, attempts: p.attempts + 1 }))
        : await this.db.job.findMany({ where: { id: { in: ids }, lockedBy: lease, doneAt: null }, orderBy: { id: 'asc' } });
    // fail() gives a job back with lockedBy cleared; a lease still named on a due job lapsed mid-run.
    const resumed = new Set(picked.filter((p) => p.lockedBy !== null).map((p) => p.id));
    return ours.map((r) => ({ id: r.id, queue: r.queue, key: r.key, group: r.groupKey, payload: r.payload as JobData, attempts: r.attempts, lease, resumed: resumed.has(r.id) }));
  }

  /** Due, unleased jobs that head their group (or have none), oldest first. */
  private async pickHeads(queue: string, limit: number, now: Date) {
    const picked: { id: number; queue: string; key: string; groupKey: string | null; payload: unknown; attempts: number; lockedBy: string | null }[] = [];
    let after = 0;
    for (let page = 0; page < MAX_PAGES && picked.length < limit; page++) {
      const due = await this.db.job.findMany({
        where: { queue, doneAt: null, runAt: { lte: now }, id: { gt: after }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
        orderBy: { id: 'asc' },
        take: PAGE,
        select: { id: true, queue: true, key: true, groupKey: true, payload: true, attempts: true, lockedBy: true },
      });
      if (!due.length) break;
      after = due[due.length - 1]?.id ?? after;
      const groups = [...new Set(due.map((d) => d.groupKey).filter((g): g is string => g !== null))];
      const heads = groups.length
        ? await this.db.job.groupBy({ by: ['groupKey'], where: { queue, doneAt: null, groupKey: { in: groups } }, _min: { id: true } })
        : [];
      const headOf = new Map(heads.map((h) => [h.groupKey, h._min.id]));
      for (const d of due) if (picked.length < limit && (d.groupKey === null || headOf.get(d.groupKey) === d.id)) picked.push(d);
      if (due.length < PAGE) break;
    }
    return picked;
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
    await this.db.job.updateMany({
      where: { doneAt: null, OR: done.map((d) => ({ id: { in: [...d.ids] }, lockedBy: d.lease })) },
      data: { doneAt: now, lockedUntil: null },
    });
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
