import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedSubscribers } from '../../bench/lib/seed-subscribers.ts';
import { loadConfig } from '../../src/config/env.ts';
import { createContainer } from '../../src/container.ts';
import { bullmqConnection } from '../../src/infra/bullmq/bullmq-connection.ts';
import { BullmqBroadcastRunner } from '../../src/infra/bullmq/bullmq-broadcast-runner.ts';
import { SharedSendWindow } from '../../src/infra/bullmq/send-window.ts';
import { PrismaAudience } from '../../src/infra/prisma/audience.repository.ts';
import { PrismaBroadcastRepository } from '../../src/infra/prisma/broadcast.repository.ts';
import { createRedis } from '../../src/infra/redis/redis-client.ts';
import { BroadcastRunner } from '../../src/marketing/broadcast-runner.ts';
import type { MarketingSender } from '../../src/marketing/broadcast.ports.ts';
import { BroadcastService } from '../../src/marketing/broadcast.service.ts';
import type { BroadcastMessage, SendOutcome } from '../../src/marketing/broadcast.types.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { systemClock } from '../../src/shared/time.ts';
import { createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

/**
 * BullMQ mode (REDIS_URL): two instances (two runners with their own BullMQ
 * workers and Redis clients) on one database and one Redis, in real time.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PER_SECOND = 10;
const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const rules = { quietHours: null, timeZone: 'UTC', frequencyCap: null };

interface Send {
  at: number;
  address: string;
  instance: string;
}

/** A channel sender for one instance: records each send (time, address, instance) in a log shared by both; `hang` makes a send never answer. */
function fakeSender(instance: string, sends: Send[], hang: () => boolean = () => false): MarketingSender {
  return {
    channel: 'telegram',
    perSecond: PER_SECOND,
    send(address: string, _m: BroadcastMessage): Promise<SendOutcome> {
      sends.push({ at: performance.now(), address, instance });
      if (hang()) return new Promise(() => {});
      return Promise.resolve({ kind: 'sent', messageId: String(sends.length) });
    },
  };
}

/** The most sends that started within any 1000 ms. */
function busiestSecond(sends: Send[]): number {
  const at = sends.map((s) => s.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while ((at[i] ?? 0) - (at[j] ?? 0) >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe.each(databases)(`broadcasts through BullMQ (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  const redises = [createRedis(REDIS_URL, log), createRedis(REDIS_URL, log)] as const;
  const runners: BullmqBroadcastRunner[] = [];
  let prefix = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.close()));
    // Clean up this test's keys.
    const keys = await redises[0].keys(`*${prefix}*`);
    if (keys.length) await redises[0].del(...keys);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(redises.map((r) => r.quit()));
  });

  async function broadcastTo(n: number, slug: string, firstChatId: number) {
    const db = t.container.db;
    const created = await t.container.services.catalog.createStore({ slug, name: slug, currency: 'EUR', locale: 'en' });
    if (!created.ok) throw new Error(created.message);
    const people = await seedSubscribers(db, created.value.id, n, firstChatId, new Date());
    const service = new BroadcastService(new PrismaBroadcastRepository(db), new PrismaAudience(db, () => new Date()), systemClock);
    const draft = await service.draft(created.value.id, { createdBy: 'test', text: 'Sale', imageUrl: null, productId: null, segment: { rules: [] } });
    if (!draft.ok) throw new Error(draft.message);
    expect((await service.confirm(created.value.id, draft.value.broadcast.id)).ok).toBe(true);
    const status = async () => {
      const b = await service.get(created.value.id, draft.value.broadcast.id);
      if (!b.ok) throw new Error(b.message);
      return b.value.broadcast;
    };
    return { people, status };
  }

  /** One instance: its own repository, Redis client, send window and BullMQ worker. */
  function instance(sender: MarketingSender, redis: (typeof redises)[number], leaseMs = 60_000) {
    const db = t.container.db;
    // The sends are stamped here, a busy event loop's moment after Redis booked them: a wider guard keeps every second within the rate on these stamps too.
    const window = new SharedSendWindow(redis, log, { prefix: `${prefix}:sends`, guardMs: 50 });
    const runner = new BullmqBroadcastRunner(new PrismaBroadcastRepository(db), new PrismaAudience(db, () => new Date()), [window.wrap(sender)], (b) => Promise.resolve({ broadcastId: b.id, storeId: b.storeId, text: 'Sale', imageUrl: null, product: null }), systemClock, log, {
      rules,
      leaseMs,
      connection: bullmqConnection(REDIS_URL),
      prefix: `${prefix}:bull`,
      stalledIntervalMs: 1000,
      lockDurationMs: 2000,
    });
    runners.push(runner);
    return runner;
  }

  async function runUntilDone(ticking: BullmqBroadcastRunner[], status: () => Promise<{ status: string }>, maxMs: number) {
    const end = Date.now() + maxMs;
    while (Date.now() < end) {
      await Promise.all(ticking.map((r) => r.tick()));
      if ((await status()).status === 'done') return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('two instances deliver to every recipient exactly once, together within the rate in every second', { timeout: 60_000 }, async () => {
    prefix = `test:${randomBytes(6).toString('hex')}`;
    const N = 60;
    const { people, status } = await broadcastTo(N, `bull-${kind}-a`, 800_000_000);
    const sends: Send[] = [];
    const a = instance(fakeSender('a', sends), redises[0]);
    const b = instance(fakeSender('b', sends), redises[1]);
    await runUntilDone([a, b], status, 40_000);

    const addresses = sends.map((s) => s.address);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect([...addresses].sort()).toEqual(people.map((p) => p.chatId).sort());
    expect(await status()).toMatchObject({ status: 'done', sent: N, failed: 0, skipped: 0, blocked: 0 });
    // Both instances did the work, and never more than the rate in any second together.
    expect(sends.filter((s) => s.instance === 'a').length).toBeGreaterThan(0);
    expect(sends.filter((s) => s.instance === 'b').length).toBeGreaterThan(0);
    expect(busiestSecond(sends)).toBeLessThanOrEqual(PER_SECOND);
    // …and near it: 60 sends at 10/s take about 6 s, not much more.
    const span = (sends.at(-1)?.at ?? 0) - (sends[0]?.at ?? 0);
    expect(span).toBeGreaterThan(4500);
    console.info(`[${kind}] BullMQ, 2 instances: ${N} sends in ${(span / 1000).toFixed(1)} s (a ${sends.filter((s) => s.instance === 'a').length}, b ${sends.filter((s) => s.instance === 'b').length}), busiest second ${busiestSecond(sends)}/${PER_SECOND}`);
  });

  it('a worker killed mid-send: the other finishes the broadcast and no one gets it twice', { timeout: 60_000 }, async () => {
    prefix = `test:${randomBytes(6).toString('hex')}`;
    const N = 40;
    const { people, status } = await broadcastTo(N, `bull-${kind}-b`, 810_000_000);
    const sends: Send[] = [];
    let killed = false;
    // Instance a "dies" on its fifth send: that send and every later call of it never answer, and its worker stops taking jobs.
    const a = instance(fakeSender('a', sends, () => (killed ||= sends.filter((s) => s.instance === 'a').length >= 5)), redises[0], 3000);
    const b = instance(fakeSender('b', sends), redises[1], 3000);
    await runUntilDone([a], () => Promise.resolve({ status: killed ? 'done' : 'sending' }), 20_000);
    expect(killed).toBe(true);
    runners.splice(runners.indexOf(a), 1);
    void a.close(true);
    await runUntilDone([b], status, 40_000);

    const final = await status();
    const rows = await t.container.db.broadcastDelivery.findMany({ where: { broadcastId: { not: '' }, address: { in: people.map((p) => p.chatId) } }, select: { address: true, status: true, error: true } });
    const interrupted = rows.filter((r) => r.status === 'failed' && /interrupted/.test(r.error ?? ''));
    const addresses = sends.map((s) => s.address);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    // Every recipient got it once, or was cut off by the kill (counted failed, never sent again).
    expect(new Set([...addresses, ...interrupted.map((r) => r.address)]).size).toBe(N);
    expect(final).toMatchObject({ status: 'done', sent: N - interrupted.length, failed: interrupted.length });
    expect(sends.filter((s) => s.instance === 'b').length).toBeGreaterThan(0);
  });

  it('without REDIS_URL the container runs the embedded runner; with it, BullMQ', async () => {
    expect(t.container.broadcastRunner([fakeSender('x', [])])).toBeInstanceOf(BroadcastRunner);
    prefix = `test:${randomBytes(6).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'chatshop-bullmq-'));
    const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'test.db')}`, REDIS_URL, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
    const withRedis = await createContainer(config, log, { redisPrefix: prefix });
    try {
      expect(withRedis.broadcastRunner([fakeSender('x', [])])).toBeInstanceOf(BullmqBroadcastRunner);
    } finally {
      await withRedis.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the shared send window', () => {
  const redis = createRedis(REDIS_URL, log);
  afterAll(() => redis.quit());

  it('gives back a start whose answer came too late to use, so a busy moment costs no capacity', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}`;
    // The first answer reaches the caller 60 ms after Redis booked it, as on a busy event loop.
    let delayNext = true;
    const slow = Object.create(redis) as typeof redis;
    slow.eval = (async (...args: Parameters<typeof redis.eval>) => {
      const answer = await redis.eval(...args);
      if (delayNext) {
        delayNext = false;
        await new Promise((r) => setTimeout(r, 60));
      }
      return answer;
    }) as typeof redis.eval;
    const window = new SharedSendWindow(slow, log, { prefix, guardMs: 10 });
    try {
      await window.book('telegram', PER_SECOND);
      expect(window.stats).toMatchObject({ booked: 2, late: 1 });
      // One start stays recorded: the late one was taken back, not left to fill the window.
      expect(await redis.lrange(`{${prefix}:telegram}:starts`, 0, -1)).toHaveLength(1);
    } finally {
      const keys = await redis.keys(`*${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
  });
});
