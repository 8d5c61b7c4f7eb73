import { Bot } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramMarketingSender } from '../../adapters/telegram/marketing-sender.ts';
import { seedSubscribers } from '../../bench/lib/seed-subscribers.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { PrismaAudience } from '../../src/infra/prisma/audience.repository.ts';
import { PrismaBroadcastRepository } from '../../src/infra/prisma/broadcast.repository.ts';
import { BroadcastRunner } from '../../src/marketing/broadcast-runner.ts';
import { BroadcastService } from '../../src/marketing/broadcast.service.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { ManualClock } from '../../src/shared/time.ts';
import { FakeTelegramApi } from '../fakes/telegram-bot-api.ts';
import { createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

/**
 * Chaos: 10,000 subscribers, the real grammY client through the marketing
 * sender, a fake Bot API answering random 429s (retry_after up to 30 s), 502s
 * and 403s, shoppers opting out mid-send, and the runner killed mid-batch and
 * replaced. Time is compressed: the runner's sleeps move a ManualClock, and
 * the bot has no auto-retry, so a retry_after is honoured by the runner's own
 * pause in clock time, never waited for in real time.
 */
const N = 10_000;
const OPT_OUTS = 300;
const TOKEN = '4343:AAChaosTokenForTestsOnly_0123456789';

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every method of `target` stops answering once `dead()` is true: a process killed mid-call. */
function killable<T extends object>(target: T, dead: () => boolean): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      const v: unknown = Reflect.get(t, key, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]): unknown => (dead() ? new Promise(() => {}) : (v as (...a: unknown[]) => unknown).apply(t, args));
    },
  });
}

describe.each(databases)(`broadcast chaos: 10,000 recipients (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let fake: FakeTelegramApi;
  const clock = new ManualClock(new Date('2026-11-26T12:00:00Z'));
  const seed = Number(process.env.CHAOS_SEED ?? 7);

  beforeAll(async () => {
    fake = await FakeTelegramApi.start({ token: TOKEN, chaos: { rate429: 0.003, rate5xx: 0.03, rate403: 0.01, maxRetryAfter: 30, random: prng(seed) } });
    t = await createTestApp(kind, { clock });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('delivers exactly once to every eligible recipient through 429s, 5xx, 403s, opt-outs and a kill', { timeout: 240_000 }, async () => {
    const db = t.container.db;
    const created = await t.container.services.catalog.createStore({ slug: 'chaos', name: 'Chaos', currency: 'EUR', locale: 'en' });
    if (!created.ok) throw new Error(created.message);
    const store = created.value;
    const people = await seedSubscribers(db, store.id, N, 700_000_000, clock.now());
    const audience = new PrismaAudience(db, () => clock.now());
    const service = new BroadcastService(new PrismaBroadcastRepository(db), audience, clock);
    const draft = await service.draft(store.id, { createdBy: 'test', text: 'Chaos sale', imageUrl: null, productId: null, segment: { rules: [] } });
    if (!draft.ok) throw new Error(draft.message);
    expect(draft.value.recipients.telegram).toBe(N);
    const id = draft.value.broadcast.id;
    expect((await service.confirm(store.id, id)).ok).toBe(true);

    // The real grammY client with no auto-retry: the runner handles 429s and 5xx itself.
    const bot = new Bot(TOKEN, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } });
    const sender = new TelegramMarketingSender(bot.api, translator('en'));
    const log = createLogger('silent');
    const rules = { quietHours: null, timeZone: 'UTC', frequencyCap: null };
    const optedOut = new Set<string>();
    let killed = false;
    let kill = () => {};
    const whenKilled = new Promise<void>((resolve) => (kill = resolve));
    let sleeps = 0;
    /** Sends since the first runner last claimed a batch: it is killed five sends into one. */
    let sinceClaim = 0;
    /** Compressed time: a sleep moves the clock and lets I/O run. */
    const sleep = async (ms: number) => {
      clock.advance(ms);
      await new Promise((r) => setImmediate(r));
      sleeps++;
      sinceClaim++;
      if (sleeps === 1500) {
        // Mid-send: 300 shoppers whose delivery is not claimed yet say /stop.
        const pending = await db.broadcastDelivery.findMany({ where: { broadcastId: id, status: 'pending', attempts: 0 }, select: { customerId: true, address: true }, take: OPT_OUTS * 3 });
        for (const p of pending.filter((_, i) => i % 3 === 0)) {
          await t.container.services.consent.unsubscribe(store.id, p.customerId, 'telegram', 'stop_command');
          optedOut.add(p.address);
        }
      }
      if (sleeps >= 4000 && sinceClaim === 5 && !killed) {
        killed = true;
        kill();
      }
      if (killed) await new Promise(() => {});
    };
    const makeRunner = (dead: () => boolean, sleepFn: (ms: number) => Promise<void>, repo = new PrismaBroadcastRepository(db)) =>
      new BroadcastRunner(killable(repo, dead), killable(audience, dead), [killable(sender, dead)], (b) => service.message(b), clock, log, { rules }, sleepFn);

    // The first runner works until it is killed mid-batch; its tick never returns.
    const firstRepo = new PrismaBroadcastRepository(db);
    const claim = firstRepo.claim.bind(firstRepo);
    firstRepo.claim = (...args) => claim(...args).finally(() => (sinceClaim = 0));
    const first = makeRunner(() => killed, sleep, firstRepo);
    for (let i = 0; i < 2000 && !killed; i++) {
      await Promise.race([first.tick(), whenKilled]);
      clock.advance(250);
    }
    expect(killed).toBe(true);
    // Database calls the dead process had already started finish (a commit in flight); nothing after.
    await new Promise((r) => setTimeout(r, 300));
    const atKill = await db.broadcastDelivery.groupBy({ by: ['status'], where: { broadcastId: id }, _count: true });
    const claimedAtKill = atKill.find((g) => g.status === 'sending')?._count ?? 0;
    expect(claimedAtKill).toBeGreaterThan(0);

    // A new process starts; the lease of the dead one's claims runs out in clock time.
    const second = makeRunner(() => false, async (ms) => {
      clock.advance(ms);
      await new Promise((r) => setImmediate(r));
    });
    for (let round = 0; round < 5000; round++) {
      await second.tick();
      clock.advance(250);
      const b = await service.get(store.id, id);
      if (b.ok && b.value.broadcast.status === 'done') break;
    }

    const done = await service.get(store.id, id);
    if (!done.ok) throw new Error(done.message);
    const b = done.value.broadcast;
    const sends = fake.calls.filter((c) => c.method === 'sendMessage');
    const delivered = sends.filter((c) => c.result !== undefined).map((c) => String(c.body.chat_id));
    const refused403 = new Set(sends.filter((c) => c.error?.error_code === 403).map((c) => String(c.body.chat_id)));
    const rows = await db.broadcastDelivery.findMany({ where: { broadcastId: id }, select: { address: true, status: true, error: true } });
    const interrupted = rows.filter((r) => r.status === 'failed' && /interrupted/.test(r.error ?? ''));
    const deliveredSet = new Set(delivered);
    const cutOffButArrived = interrupted.filter((r) => deliveredSet.has(r.address)).length;

    // No one twice, nobody opted out or blocked, everyone else once (or cut off by the kill and counted failed).
    expect(deliveredSet.size).toBe(delivered.length);
    expect(sends.filter((c) => optedOut.has(String(c.body.chat_id)))).toHaveLength(0);
    expect(delivered.filter((a) => refused403.has(a))).toHaveLength(0);
    const eligible = people.map((p) => p.chatId).filter((a) => !optedOut.has(a) && !refused403.has(a));
    const interruptedSet = new Set(interrupted.map((r) => r.address));
    expect(eligible.filter((a) => !deliveredSet.has(a) && !interruptedSet.has(a))).toEqual([]);
    expect(interrupted.length).toBe(claimedAtKill);
    for (const r of rows) if (r.status === 'sent') expect(deliveredSet.has(r.address)).toBe(true);

    // The counters add up and say what happened.
    expect(b).toMatchObject({ status: 'done', recipients: N, skipped: optedOut.size, blocked: refused403.size, failed: interrupted.length });
    expect(b.sent).toBe(delivered.length - cutOffButArrived);
    expect(b.sent + b.failed + b.blocked + b.skipped).toBe(N);
    // The chaos really happened: long 429 pauses, 5xx retried, and 300 opt-outs mid-send.
    const retryAfters = sends.flatMap((c) => (c.error?.error_code === 429 ? [c] : []));
    expect(retryAfters.length).toBeGreaterThan(5);
    expect(sends.filter((c) => c.error?.error_code === 502).length).toBeGreaterThan(100);
    expect(optedOut.size).toBe(OPT_OUTS);
    console.info(
      `[${kind}] ${N} recipients: sent ${b.sent}, blocked ${b.blocked}, skipped (opted out) ${b.skipped}, failed ${b.failed} ` +
        `(claimed at the kill: ${claimedAtKill}; of those the fake got ${cutOffButArrived} before the kill and ${claimedAtKill - cutOffButArrived} never went out); ` +
        `${sends.length} sendMessage calls, ${retryAfters.length} × 429, clock advanced ${Math.round((clock.now().getTime() - Date.parse('2026-11-26T12:00:00Z')) / 1000)} s`,
    );
  });
});
