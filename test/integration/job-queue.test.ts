import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaJobStore } from '../../src/infra/jobs/prisma-job-store.ts';
import { QueueWorker } from '../../src/jobs/queue-worker.ts';
import type { ClaimedJob, JobHandler, WorkerOptions } from '../../src/jobs/queue.ports.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

const log = createLogger('silent');
const fast: Partial<WorkerOptions> = { pollMs: 20, leaseMs: 2000, backoff: { baseMs: 10, maxMs: 50 } };

/** Resolves when `check` holds, polling every 10 ms; fails after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(databases)('durable job queue (%s)', (kind) => {
  let t: TestApp;
  let store: PrismaJobStore;
  let n = 0;
  /** A queue name no other test uses. */
  const q = () => `q${++n}`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    store = new PrismaJobStore(t.container.db);
  });
  afterAll(() => t.close());

  it('makes one job per idempotency key', async () => {
    const queue = q();
    const a = await store.enqueue(queue, { x: 1 }, { key: 'k1' });
    const b = await store.enqueue(queue, { x: 2 }, { key: 'k1' });
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false, claimed: null });
    expect(await store.pending(queue)).toBe(1);
  });

  it('makes one job per key when the same key arrives twice in one batch, beside new and stored ones', async () => {
    const queue = q();
    const stored = await store.enqueue(queue, { x: 0 }, { key: 'old' });
    const [a, b, c, d] = await Promise.all([
      store.enqueue(queue, { x: 1 }, { key: 'twice' }),
      store.enqueue(queue, { x: 2 }, { key: 'twice' }),
      store.enqueue(queue, { x: 3 }, { key: 'old' }),
      store.enqueue(queue, { x: 4 }, { key: 'new', group: 'g' }),
    ]);
    expect(a?.created).toBe(true);
    expect(b).toEqual({ id: a?.id, created: false, claimed: null });
    expect(c).toEqual({ id: stored.id, created: false, claimed: null });
    expect(d?.created).toBe(true);
    expect(await store.pending(queue)).toBe(3);
    const jobs = await store.claim(queue, { limit: 10, leaseMs: 1000, lease: 'test:1', now: new Date(Date.now() + 1000) });
    expect(jobs.map((j) => [j.key, j.payload.x, j.group])).toEqual([['old', 0, null], ['twice', 1, null], ['new', 4, 'g']]);
  });

  it('claims an enqueued job in the same commit only when it is due and heads its group, and for one caller only', async () => {
    const queue = q();
    const claim = { lease: 'w-test:1', leaseMs: 5000 };
    const first = await store.enqueue(queue, { n: 1 }, { key: 'a1', group: 'a', claim });
    expect(first.claimed).toMatchObject({ id: first.id, key: 'a1', group: 'a', payload: { n: 1 }, attempts: 1, lease: 'w-test:1', resumed: false });
    // The chat's first update is still running: the next one waits for it.
    const second = await store.enqueue(queue, { n: 2 }, { key: 'a2', group: 'a', claim: { lease: 'w-test:2', leaseMs: 5000 } });
    expect(second).toMatchObject({ created: true, claimed: null });
    const later = await store.enqueue(queue, { n: 3 }, { key: 'b1', group: 'b', runAt: new Date(Date.now() + 60_000), claim: { lease: 'w-test:3', leaseMs: 5000 } });
    expect(later.claimed).toBeNull();
    // The same new key twice at once: one job, run by one of the two callers.
    const [x, y] = await Promise.all([
      store.enqueue(queue, { n: 4 }, { key: 'c1', group: 'c', claim: { lease: 'w-test:4', leaseMs: 5000 } }),
      store.enqueue(queue, { n: 4 }, { key: 'c1', group: 'c', claim: { lease: 'w-test:4', leaseMs: 5000 } }),
    ]);
    expect([x?.claimed, y?.claimed].filter(Boolean)).toHaveLength(1);
    // Once the first is done, the waiting one is the head and a claim takes it.
    await store.complete([first.id], 'w-test:1', new Date());
    const next = await store.claim(queue, { limit: 10, leaseMs: 1000, lease: 'w-test:5', now: new Date() });
    expect(next.map((j) => j.key)).toEqual(['a2']);
  });

  it('runs a job this process enqueues at once through a reserved slot, and the chat after it when it ends', async () => {
    const queue = q();
    const ran: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const w = new QueueWorker(store, queue, async (job) => {
      ran.push(job.key);
      if (job.key === 'g1') await gate;
    }, log, { ...fast, pollMs: 60_000, concurrency: 2 });
    w.start();
    try {
      const enqueue = async (key: string) => {
        const claim = w.reserve();
        const r = await store.enqueue(queue, {}, { key, group: 'g', claim });
        w.adopt(claim, { ...r, group: 'g' });
        return r;
      };
      expect((await enqueue('g1')).claimed).not.toBeNull();
      expect((await enqueue('g2')).claimed).toBeNull();
      await until(() => ran.length === 1);
      release();
      // No timer poll (60 s): the end of g1 wakes the worker for g2.
      await until(() => ran.length === 2, 2000);
      expect(ran).toEqual(['g1', 'g2']);
    } finally {
      await w.stop();
    }
  });

  it('gives back a job claimed for a worker that stopped while the enqueue was in flight, so it runs elsewhere', async () => {
    const queue = q();
    const w = new QueueWorker(store, queue, async () => {}, log, { ...fast, pollMs: 60_000 });
    w.start();
    const claim = w.reserve();
    expect(claim).not.toBeNull();
    const stopping = w.stop();
    const r = await store.enqueue(queue, { n: 1 }, { key: 'k', claim });
    expect(r.claimed).not.toBeNull();
    w.adopt(claim, { ...r, group: null });
    await stopping;
    // Not left leased (it would lapse into "interrupted" and be skipped): the next worker runs it as new.
    const next = await store.claim(queue, { limit: 5, leaseMs: 1000, lease: 'w-next:1', now: new Date() });
    expect(next).toMatchObject([{ key: 'k', resumed: false }]);
  });

  it('runs one job per group at a time in id order, different groups concurrently', async () => {
    const queue = q();
    for (let i = 0; i < 4; i++) for (const g of ['a', 'b', 'c']) await store.enqueue(queue, { g, i }, { key: `${g}${i}`, group: g });
    const log_: string[] = [];
    const active = new Map<string, number>();
    let maxActive = 0;
    let overlapInGroup = false;
    const handler: JobHandler = async (job) => {
      const g = job.payload.g as string;
      if (active.get(g)) overlapInGroup = true;
      active.set(g, 1);
      maxActive = Math.max(maxActive, [...active.values()].filter(Boolean).length);
      await new Promise((r) => setTimeout(r, 15));
      log_.push(`${g}${job.payload.i as number}`);
      active.set(g, 0);
    };
    const w = new QueueWorker(store, queue, handler, log, { ...fast, concurrency: 8 });
    w.start();
    await until(() => log_.length === 12);
    await w.stop();
    expect(overlapInGroup).toBe(false);
    expect(maxActive).toBeGreaterThan(1);
    for (const g of ['a', 'b', 'c']) expect(log_.filter((x) => x.startsWith(g))).toEqual([0, 1, 2, 3].map((i) => `${g}${i}`));
    expect(await store.pending(queue)).toBe(0);
  });

  it('lets two workers (two instances) take each job exactly once', async () => {
    const queue = q();
    for (let i = 0; i < 60; i++) await store.enqueue(queue, { i }, { key: String(i), group: i % 3 === 0 ? null : `g${i % 7}` });
    const runs: number[] = [];
    const handler: JobHandler = async (job) => {
      runs.push(Number(job.payload.i));
      await new Promise((r) => setTimeout(r, 2));
    };
    // A second store object stands for another instance with its own client logic.
    const workers = [new QueueWorker(store, queue, handler, log, { ...fast, concurrency: 4 }), new QueueWorker(new PrismaJobStore(t.container.db), queue, handler, log, { ...fast, concurrency: 4 })];
    for (const w of workers) w.start();
    await until(() => runs.length >= 60);
    await Promise.all(workers.map((w) => w.stop()));
    expect([...runs].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('never hands one job to two simultaneous claims', async () => {
    const queue = q();
    for (let i = 0; i < 20; i++) await store.enqueue(queue, { i }, { key: String(i) });
    const now = new Date();
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => store.claim(queue, { limit: 20, leaseMs: 10_000, lease: `L${i}`, now })));
    const ids = claims.flat().map((j) => j.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });

  it('retries a failing job with back-off, then gives up and keeps the error', async () => {
    const queue = q();
    await store.enqueue(queue, { ok: 'third time' }, { key: 'flaky' });
    await store.enqueue(queue, { ok: 'never' }, { key: 'broken' });
    const seen: ClaimedJob[] = [];
    const handler: JobHandler = (job) => {
      seen.push(job);
      if (job.key === 'flaky' && job.attempts >= 3) return Promise.resolve();
      return Promise.reject(new Error(`boom ${job.attempts}`));
    };
    const w = new QueueWorker(store, queue, handler, log, { ...fast, maxAttempts: 4 });
    w.start();
    await until(async () => (await store.pending(queue)) === 0);
    await w.stop();
    expect(seen.filter((j) => j.key === 'flaky').map((j) => j.attempts)).toEqual([1, 2, 3]);
    expect(seen.filter((j) => j.key === 'broken').map((j) => j.attempts)).toEqual([1, 2, 3, 4]);
    const rows = await t.container.db.job.findMany({ where: { queue }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.key, r.attempts, r.lastError, r.doneAt !== null])).toEqual([
      ['flaky', 3, 'Error: boom 2', true],
      ['broken', 4, 'Error: boom 4', true],
    ]);
  });

  it('resumes a job whose worker died once its lease lapses', async () => {
    const queue = q();
    await store.enqueue(queue, { n: 1 }, { key: 'orphan', group: 'g' });
    await store.enqueue(queue, { n: 2 }, { key: 'next', group: 'g' });
    // A worker claims the first job and dies without finishing it.
    const [dead] = await store.claim(queue, { limit: 5, leaseMs: 300, lease: 'dead:1', now: new Date() });
    expect(dead?.key).toBe('orphan');
    const done: string[] = [];
    const w = new QueueWorker(store, queue, (job) => Promise.resolve(void done.push(job.key)), log, fast);
    w.start();
    await until(() => done.length === 2);
    await w.stop();
    // The group's order held: the orphan first, then the one behind it.
    expect(done).toEqual(['orphan', 'next']);
  });

  it('renews the lease of a long job, so no other worker takes it, and not of jobs ending within half a lease', async () => {
    const queue = q();
    const extended: number[][] = [];
    const counting = Object.assign(Object.create(store) as PrismaJobStore, {
      extend: (ids: readonly number[], lease: string, until: Date) => {
        extended.push([...ids]);
        return store.extend(ids, lease, until);
      },
    });
    // Renewal ticks every 200 ms; a job is renewed once less than 300 ms of its lease is left.
    const short = { ...fast, leaseMs: 600 };
    const ran: string[] = [];
    const a = new QueueWorker(counting, queue, async (job) => {
      ran.push(`a:${job.key}`);
      await new Promise((r) => setTimeout(r, job.key === 'long' ? 1500 : 150));
    }, log, short);
    const b = new QueueWorker(store, queue, (job) => Promise.resolve(void ran.push(`b:${job.key}`)), log, short);
    a.start();
    const long = await store.enqueue(queue, {}, { key: 'long' });
    await until(() => ran.includes('a:long'));
    for (let i = 0; i < 4; i++) await store.enqueue(queue, {}, { key: `short${i}` });
    await until(async () => (await store.pending(queue)) === 1);
    // Another instance, ready to take the long job should its lease lapse.
    b.start();
    await until(async () => (await store.pending(queue)) === 0);
    await Promise.all([a.stop(), b.stop()]);
    // Held for 1.5 s on a 600 ms lease: renewed, never run twice; the 150 ms jobs (each across a tick) never renewed.
    expect(ran.filter((r) => r.endsWith(':long'))).toEqual(['a:long']);
    expect(extended.length).toBeGreaterThanOrEqual(2);
    expect(new Set(extended.flat())).toEqual(new Set([long.id]));
  });

  it('stop() waits for jobs in progress and claims nothing more', async () => {
    const queue = q();
    await store.enqueue(queue, {}, { key: 'slow' });
    let release = () => {};
    const started: string[] = [];
    const w = new QueueWorker(store, queue, (job) => {
      started.push(job.key);
      return new Promise<void>((r) => (release = r));
    }, log, fast);
    w.start();
    await until(() => started.length === 1);
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await store.enqueue(queue, {}, { key: 'later' });
    await new Promise((r) => setTimeout(r, 80));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(started).toEqual(['slow']);
    expect(await store.pending(queue)).toBe(1);
  });

  it('prunes jobs finished before the cut-off only', async () => {
    const queue = q();
    const old = await store.enqueue(queue, {}, { key: 'old' });
    await store.enqueue(queue, {}, { key: 'open' });
    await t.container.db.job.update({ where: { id: old.id }, data: { doneAt: new Date(Date.now() - 2 * 86_400_000) } });
    expect(await store.prune(new Date(Date.now() - 86_400_000))).toBeGreaterThanOrEqual(1);
    expect((await t.container.db.job.findMany({ where: { queue } })).map((r) => r.key)).toEqual(['open']);
  });
});
