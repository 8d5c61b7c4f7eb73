import { describe, expect, it } from 'vitest';
import type { AnalyticsEventRow, AnalyticsRepository } from '../../src/analytics/analytics.ports.ts';
import { AnalyticsService } from '../../src/analytics/analytics.service.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { ManualClock } from '../../src/shared/time.ts';

/** Records every batch; `failing` makes writes reject, `broken` makes them throw synchronously. */
class FakeRepo implements AnalyticsRepository {
  batches: AnalyticsEventRow[][] = [];
  failing = false;
  broken = false;
  insertMany(rows: AnalyticsEventRow[]) {
    if (this.broken) throw new Error('driver exploded');
    if (this.failing) return Promise.reject(new Error('database is down'));
    this.batches.push(rows);
    return Promise.resolve();
  }
  zeroResultSearches() {
    return Promise.resolve([]);
  }
  funnel() {
    return Promise.resolve({ views: 0, carts: 0, checkouts: 0, paid: 0 });
  }
  get rows() {
    return this.batches.flat();
  }
}

function setup(opts: { batchSize?: number; maxBuffered?: number; flushIntervalMs?: number } = {}) {
  const repo = new FakeRepo();
  const lines: { level: number; msg: string }[] = [];
  const log = createLogger('warn');
  const capture = (level: number) => (obj: unknown, msg?: string) => void lines.push({ level, msg: msg ?? String(obj) });
  log.warn = capture(40);
  log.error = capture(50);
  const clock = new ManualClock(new Date('2026-11-26T12:00:00Z'));
  const analytics = new AnalyticsService(repo, clock, log, { flushIntervalMs: 60_000, ...opts });
  return { repo, lines, clock, analytics };
}

describe('AnalyticsService', () => {
  it('returns at once and writes buffered events in one batch on flush', async () => {
    const { repo, analytics } = setup();
    const result = analytics.record({ storeId: 's1', type: 'view', productId: 'p1', customerId: 'c1', channel: 'telegram' });
    analytics.record({ storeId: 's1', type: 'search', query: '  Red   HOODIE ', resultCount: 0, sessionKey: 'web:abc' });
    expect(result).toBeUndefined();
    expect(repo.batches).toHaveLength(0);
    await analytics.flush();
    expect(repo.batches).toHaveLength(1);
    expect(repo.rows).toMatchObject([
      { storeId: 's1', type: 'view', productId: 'p1', customerId: 'c1', sessionKey: null, query: null, channel: 'telegram' },
      { storeId: 's1', type: 'search', query: 'red hoodie', resultCount: 0, sessionKey: 'web:abc', productId: null },
    ]);
    expect(repo.rows[0]?.createdAt).toEqual(new Date('2026-11-26T12:00:00Z'));
  });

  it('writes a full batch without waiting for the timer, and flushes the rest on close', async () => {
    const { repo, analytics } = setup({ batchSize: 3 });
    for (let i = 0; i < 7; i++) analytics.record({ storeId: 's1', type: 'add_to_cart', productId: `p${i}`, data: { quantity: i } });
    await analytics.flush();
    expect(repo.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    analytics.record({ storeId: 's1', type: 'order_paid', orderId: 'o1' });
    await analytics.close();
    expect(repo.rows.at(-1)).toMatchObject({ type: 'order_paid', orderId: 'o1' });
    expect(repo.rows.map((r) => r.productId).slice(0, 7)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    analytics.record({ storeId: 's1', type: 'view', productId: 'late' });
    await analytics.flush();
    expect(repo.rows).toHaveLength(8);
  });

  it('flushes by itself after the interval', async () => {
    const { repo, analytics } = setup({ flushIntervalMs: 5 });
    analytics.record({ storeId: 's1', type: 'checkout_started', orderId: 'o9' });
    await expect.poll(() => repo.rows.length).toBe(1);
  });

  it('never throws to the caller when the repository fails, and logs instead', async () => {
    const { repo, lines, analytics } = setup();
    repo.failing = true;
    expect(() => analytics.record({ storeId: 's1', type: 'view', productId: 'p1' })).not.toThrow();
    await expect(analytics.flush()).resolves.toBeUndefined();
    repo.failing = false;
    repo.broken = true;
    analytics.record({ storeId: 's1', type: 'view', productId: 'p2' });
    await expect(analytics.close()).resolves.toBeUndefined();
    expect(lines.filter((l) => l.msg === 'analytics events not written')).toHaveLength(2);
  });

  it('ignores malformed events from untyped callers instead of failing the batch', async () => {
    const { repo, analytics } = setup();
    const untyped = (e: unknown) => analytics.record(e as Parameters<AnalyticsService['record']>[0]);
    untyped({ storeId: 's1', type: 'teleport' });
    untyped({ type: 'view', productId: 'p1' });
    untyped({ storeId: 's1', type: 'search', query: 'x', resultCount: Number.NaN });
    expect(() => untyped(null)).not.toThrow();
    await analytics.flush();
    expect(repo.rows).toMatchObject([{ type: 'search', query: 'x', resultCount: 0 }]);
  });

  it('holds at most maxBuffered events while the database is slow, dropping the rest', async () => {
    const { repo, lines, analytics } = setup({ batchSize: 2, maxBuffered: 4 });
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const insert = repo.insertMany.bind(repo);
    repo.insertMany = async (rows) => {
      await gate;
      return insert(rows);
    };
    for (let i = 0; i < 10; i++) analytics.record({ storeId: 's1', type: 'view', productId: `p${i}` });
    expect(lines.filter((l) => l.msg === 'analytics buffer full; events dropped')).toHaveLength(1);
    release();
    await analytics.flush();
    expect(repo.rows.map((r) => r.productId)).toEqual(['p0', 'p1', 'p2', 'p3']);
    // Once written, there is room again.
    analytics.record({ storeId: 's1', type: 'view', productId: 'after' });
    await analytics.flush();
    expect(repo.rows.map((r) => r.productId).at(-1)).toBe('after');
  });
});
