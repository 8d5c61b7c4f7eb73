import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegram } from '../../adapters/telegram/index.ts';
import { DONE_JOBS_KEPT_MS } from '../../src/jobs/queue.ports.ts';
import { FakeTelegramApi, type Json } from '../fakes/telegram-bot-api.ts';
import { databases } from '../helpers/test-app.ts';
import { newUser, SECRET, startHarness, textOf, type Harness } from './telegram-harness.ts';

const QUEUE = 'telegram-updates';

describe.each(databases)('Telegram webhook inbox (%s)', (kind) => {
  let h: Harness;
  const post = (update: Json, secret = SECRET) =>
    h.t.app.request('/webhooks/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });
  const update = (u: ReturnType<typeof newUser>, text: string) => ({ update_id: h.fake.newUpdateId(), ...FakeTelegramApi.messageUpdate(u, text) });

  beforeAll(async () => {
    h = await startHarness(kind, { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET });
  });
  afterAll(() => h.close());

  it('answers 200 before the turn runs, then the worker replies', async () => {
    const u = newUser();
    // Every Bot API call now takes 300 ms: a request that did the work would take longer.
    h.fake.setLatency(300);
    try {
      const t0 = performance.now();
      const res = await post(update(u, 'hi'));
      expect(res.status).toBe(200);
      expect(performance.now() - t0).toBeLessThan(250);
      expect(h.fake.callsTo('sendMessage', u.id)).toHaveLength(0);
      const reply = await h.fake.waitForCall('sendMessage', { chatId: u.id });
      expect(textOf(reply)).toContain('Welcome to chatshop demo store');
    } finally {
      h.fake.setLatency(0);
    }
  });

  it('handles many chats at once while the Bot API is slow to answer', async () => {
    const users = Array.from({ length: 48 }, () => newUser());
    // Long enough for every turn to reach its first call before any is answered, even on a loaded machine:
    // the updates arrive together (posted one after another, under CI load on PostgreSQL 48 posts took
    // longer than one answer, and only 18 turns overlapped).
    h.fake.setLatency(1500);
    h.fake.maxHeld = 0;
    try {
      for (const r of await Promise.all(users.map(async (u) => post(update(u, 'hi'))))) expect(r.status).toBe(200);
      for (const u of users) await h.fake.waitForCall('sendMessage', { chatId: u.id });
      // Each turn waits for its calls one after another: the calls in flight together are the turns running
      // together. With the queue's default of 8 slots this was exactly 8.
      expect(h.fake.maxHeld).toBeGreaterThanOrEqual(24);
    } finally {
      h.fake.setLatency(0);
    }
  });

  it("keeps one chat's updates in order", async () => {
    const u = newUser();
    const since = h.fake.calls.length;
    for (const text of ['/help', '/cart', 'hi']) expect((await post(update(u, text))).status).toBe(200);
    await h.fake.waitFor((calls) => calls.slice(since).filter((c) => c.method === 'sendMessage' && c.body.chat_id === u.id).length >= 3);
    const texts = h.fake.callsTo('sendMessage', u.id).map(textOf);
    expect(texts[0]).toMatch(/^Type what you want/);
    expect(texts[1]).toMatch(/cart is empty/i);
    expect(texts[2]).toMatch(/Welcome/);
  });

  it('replayed after it was handled, an update has no second effect', async () => {
    const u = newUser();
    const up = update(u, 'hi');
    await post(up);
    await h.fake.waitForCall('sendMessage', { chatId: u.id });
    await waitQueueEmpty();
    // The hourly prune keeps the finished job (its key is the update's claim) longer than Telegram redelivers.
    await h.t.container.jobQueue.prune(new Date(Date.now() - DONE_JOBS_KEPT_MS));
    expect(await h.t.container.db.job.count({ where: { queue: QUEUE, key: String(up.update_id) } })).toBe(1);
    expect((await post(up)).status).toBe(200);
    const other = newUser();
    await post(update(other, 'hi'));
    await h.fake.waitForCall('sendMessage', { chatId: other.id });
    await waitQueueEmpty();
    expect(h.fake.callsTo('sendMessage', u.id)).toHaveLength(1);
    // The webhook path writes no second claim per update: the job is it.
    expect(await h.t.container.db.processedEvent.count({ where: { provider: 'telegram', eventId: String(up.update_id) } })).toBe(0);
  });

  it('an update whose worker died mid-turn is not handled again', async () => {
    const u = newUser();
    const up = update(u, '/cart');
    // As a crashed worker leaves it: claimed once, its lease lapsed, neither done nor given back.
    await h.t.container.db.job.create({
      data: { queue: QUEUE, key: String(up.update_id), groupKey: `chat:${u.id}`, payload: up, attempts: 1, lockedBy: 'w-dead:1', lockedUntil: new Date(Date.now() - 1000) },
    });
    const later = update(u, 'hi');
    await post(later);
    await h.fake.waitForCall('sendMessage', { chatId: u.id, test: (c) => /Welcome/.test(textOf(c)) });
    await waitQueueEmpty();
    // Only the later update was answered; the interrupted one may have replied already, so it is not run twice.
    expect(h.fake.callsTo('sendMessage', u.id).map(textOf).filter((t) => /cart is empty/i.test(t))).toHaveLength(0);
    const job = await h.t.container.db.job.findUniqueOrThrow({ where: { queue_key: { queue: QUEUE, key: String(up.update_id) } } });
    expect(job.doneAt).not.toBeNull();
  });

  it('resumes the updates queued when the process stopped', async () => {
    const a = newUser();
    const b = newUser();
    // The instance stops (drains); Telegram's deliveries keep arriving at the load balancer meanwhile.
    await h.channel.stop();
    const since = h.fake.calls.length;
    for (const up of [update(a, '/cart'), update(b, 'cheapest mug'), update(a, 'hi')]) expect((await post(up)).status).toBe(200);
    expect(await h.t.container.jobQueue.pending(QUEUE)).toBe(3);
    expect(h.fake.calls.length).toBe(since);

    // A new process: a new bot and worker over the same database.
    const restarted = await startTelegram(h.t.container, null, { sender: { pacing: false, maxRetryAttempts: 2, maxDelaySeconds: 5 } });
    try {
      const hi = await h.fake.waitForCall('sendMessage', { chatId: a.id, since, test: (c) => /Welcome/.test(textOf(c)) });
      const cart = h.fake.callsTo('sendMessage', a.id).find((c) => /cart is empty/i.test(textOf(c)));
      expect(cart && h.fake.calls.indexOf(cart)).toBeLessThan(h.fake.calls.indexOf(hi));
      const list = await h.fake.waitForCall('sendMessage', { chatId: b.id, since });
      expect(textOf(list)).toContain('Classic Mug');
      await waitQueueEmpty();
    } finally {
      await restarted.stop();
    }
  });

  async function waitQueueEmpty() {
    for (let i = 0; i < 200 && (await h.t.container.jobQueue.pending(QUEUE)) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await h.t.container.jobQueue.pending(QUEUE)).toBe(0);
  }
});
