import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bot } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramMarketingSender } from '../../adapters/telegram/marketing-sender.ts';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { loadConfig } from '../../src/config/env.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { createContainer, type Container } from '../../src/container.ts';
import type { BullmqJobScheduler } from '../../src/infra/bullmq/bullmq-job-scheduler.ts';
import { createRedis } from '../../src/infra/redis/redis-client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { FakeTelegramApi } from '../fakes/telegram-bot-api.ts';
import { MINUTE, ShiftedClock } from '../helpers/automation-kit.ts';

/**
 * Automations with REDIS_URL: two instances (two containers on one database
 * and one Redis, each with its own bot client) schedule the automations job
 * as a BullMQ job scheduler; one of them runs it each period, and a due
 * reminder reaches the shopper once. SQLite only: the point is the queue.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = '5555:AAAutomationsBullmqTestToken_0123456';
const PERIOD_MS = 500;
const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

describe('automations through BullMQ (REDIS_URL), two instances', () => {
  const prefix = `test:${randomBytes(6).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'chatshop-automations-bullmq-'));
  const clock = new ShiftedClock();
  const redis = createRedis(REDIS_URL, log);
  let fake: FakeTelegramApi;
  const instances: { container: Container; jobs: BullmqJobScheduler }[] = [];

  beforeAll(async () => {
    fake = await FakeTelegramApi.start({ token: TOKEN, rateLimit: { globalPerSecond: 30, perChatPerSecond: 1 } });
  });
  afterAll(async () => {
    for (const i of instances) await i.jobs.stop();
    for (const i of instances) await i.container.close();
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a due abandoned-cart reminder is sent once, by one instance per period', { timeout: 30_000 }, async () => {
    const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'test.db')}`, REDIS_URL, LOG_LEVEL: 'silent', NODE_ENV: 'test', MARKETING_QUIET_HOURS: 'off', MARKETING_MAX_PER_DAY: '0' });
    const a = await createContainer(config, log, { redisPrefix: prefix, clock });
    const b = await createContainer(config, log, { redisPrefix: prefix, clock });
    const jobsA = a.sharedJobs();
    const jobsB = b.sharedJobs();
    if (!jobsA || !jobsB) throw new Error('REDIS_URL is set: the automations must be shared jobs');
    instances.push({ container: a, jobs: jobsA }, { container: b, jobs: jobsB });

    // A subscribed Telegram shopper left a cart two hours ago; the store reminds after 120 minutes.
    const { catalog, customers, consent, carts, automations } = a.services;
    await seedDemoStore(catalog);
    const store = await catalog.store('demo');
    await automations.update(store.id, { abandonedCart: { enabled: true, delayMinutes: 120 } });
    const chatId = 707_001;
    const shopper = await customers.identify(store.id, { channel: 'telegram', externalUserId: String(chatId) });
    await consent.subscribe(store.id, shopper.id, 'telegram', 'test');
    const cart = await carts.open(store, { customerId: shopper.id, channel: 'telegram' });
    expect((await carts.addItem(store.id, cart.id, 'MUG-CLASSIC', 2)).ok).toBe(true);
    clock.advance(121 * MINUTE);

    // Each instance: its own bot client and automation runner, ticked by the shared scheduler; runs counted per instance.
    const runs = { a: 0, b: 0 };
    const job = (c: Container, name: 'a' | 'b') => {
      const bot = new Bot(TOKEN, { botInfo: fake.botInfo, client: { apiRoot: fake.apiRoot } });
      const runner = c.automationRunner([new TelegramMarketingSender(bot.api, translator('en'))]);
      return { name: 'automations', everyMs: PERIOD_MS, run: () => ((runs[name] += 1), runner.tick()) };
    };
    const started = performance.now();
    await Promise.all([jobsA.start([job(a, 'a')]), jobsB.start([job(b, 'b')])]);

    const reminder = await fake.waitForCall('sendMessage', { chatId, timeoutMs: 10_000 });
    expect(String(reminder.body.text)).toMatch(/Classic Mug/);
    // Several more periods: nothing more is sent, and the job ran about once a period in all, not once per instance.
    await new Promise((r) => setTimeout(r, 6 * PERIOD_MS));
    const periods = (performance.now() - started) / PERIOD_MS;
    console.info(`automations through BullMQ: ${runs.a + runs.b} runs (a ${runs.a}, b ${runs.b}) in ${periods.toFixed(1)} periods`);
    expect(fake.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(1);
    expect(runs.a + runs.b).toBeGreaterThanOrEqual(3);
    expect(runs.a + runs.b).toBeLessThanOrEqual(Math.ceil(periods) + 1);
  });
});
