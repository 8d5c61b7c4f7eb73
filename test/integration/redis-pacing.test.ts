import { randomBytes } from 'node:crypto';
import { Bot } from 'grammy';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pacingFor, telegramPacing, type PacingOptions } from '../../adapters/telegram/pacing.ts';
import { installSender } from '../../adapters/telegram/sender.ts';
import { createRedis } from '../../src/infra/redis/redis-client.ts';
import { RedisPacing, redisPacing } from '../../src/infra/redis/redis-pacing.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { FakeTelegramApi } from '../fakes/telegram-bot-api.ts';
import { Chat, newUser, startHarness } from '../adapters/telegram-harness.ts';
import { startTelegram } from '../../adapters/telegram/index.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = '4343:AAFakeTokenForThePacingTestsOnly_012345';
const log = createLogger('silent');
const unique = () => `test:${randomBytes(6).toString('hex')}`;

describe('pacing shared through Redis', () => {
  // Two clients stand for two instances of the app.
  let a: Redis;
  let b: Redis;
  let fake: FakeTelegramApi;

  beforeAll(async () => {
    a = createRedis(REDIS_URL, log);
    b = createRedis(REDIS_URL, log);
    await Promise.all([a, b].map((r) => new Promise((ok) => (r.status === 'ready' ? ok(null) : r.once('ready', ok)))));
    fake = await FakeTelegramApi.start({ token: TOKEN });
  });
  afterAll(async () => {
    await Promise.all([a.quit(), b.quit()]);
    await fake.close();
  });

  it('books one per-chat and one global budget across instances', async () => {
    const prefix = unique();
    const opts: PacingOptions = { globalPerSecond: 10, perChatPerSecond: 1, burst: 1 };
    const one = new RedisPacing(a, prefix, opts);
    const two = new RedisPacing(b, prefix, opts);
    expect(await one.reserve('chat-1')).toBe(0);
    // The same chat from the other instance waits its 1 s turn.
    const wait = await two.reserve('chat-1');
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
    // Global: 10/s with bursts of 10 over all chats; the booking above used two.
    const waits = [];
    for (let i = 0; i < 9; i++) waits.push(await (i % 2 ? one : two).reserve(`other-${i}`));
    expect(waits.slice(0, 8)).toEqual(Array(8).fill(0));
    expect(waits[8]).toBeGreaterThan(50);
    // Another prefix (another bot) has its own budgets.
    expect(await new RedisPacing(a, unique(), opts).reserve('chat-1')).toBe(0);
  });

  it('a pause on one instance holds every instance', async () => {
    const prefix = unique();
    const opts: PacingOptions = { globalPerSecond: 30, perChatPerSecond: 1, burst: 5 };
    await new RedisPacing(a, prefix, opts).pause(700);
    const wait = await new RedisPacing(b, prefix, opts).reserve('fresh-chat');
    expect(wait).toBeGreaterThan(600);
    expect(wait).toBeLessThanOrEqual(700);
  });

  it('after a pause the held sends go at the pace, not in a burst (here and in one process)', async () => {
    const opts: PacingOptions = { globalPerSecond: 30, perChatPerSecond: 1, burst: 5 };
    for (const pacer of [new RedisPacing(a, unique(), opts), pacingFor(opts, 'local', null, log)]) {
      await pacer.pause(300);
      const waits: number[] = [];
      for (let i = 0; i < 30; i++) waits.push(await pacer.reserve(`chat-${i}`));
      // Without the rule the first 30 would all be due at the end of the pause (a burst of 30).
      expect(waits[0]).toBeGreaterThan(200);
      expect(waits[0]).toBeLessThanOrEqual(300);
      // 29 intervals of 33.3 ms after the first (less the few ms the bookings took).
      expect(waits[29]! - waits[0]!).toBeGreaterThan(29 * (1000 / 30) - 60);
    }
  });

  /** One instance's Bot API client with the production sender and its pacing. */
  const instance = (redis: Redis | null, scope: string, opts: PacingOptions) => {
    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot }, botInfo: fake.botInfo });
    const pacing = pacingFor(opts, scope, redis ? redisPacing(redis, 'test') : null, log);
    installSender(bot.api, { maxRetryAttempts: 2, maxDelaySeconds: 5, pacing: opts }, () => Promise.resolve(), log, pacing);
    return bot.api;
  };

  it("through the sender: one instance's 429 retry_after pauses the others; the per-chat pace holds across them", async () => {
    const scope = unique();
    const opts: PacingOptions = { globalPerSecond: 30, perChatPerSecond: 4, burst: 1 };
    const [one, two] = [instance(a, scope, opts), instance(b, scope, opts)];
    // Each client opens its connection first (getMe is not paced), so the arrival times below differ by the pacing, not by a TCP handshake.
    await Promise.all([one.getMe(), two.getMe()]);
    const since = fake.calls.length;
    await one.sendMessage(5001, 'first');
    await two.sendMessage(5001, 'second');
    const [first, second] = fake.calls.slice(since).filter((c) => c.body.chat_id === 5001);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(200);

    fake.failNext({ method: 'sendMessage', chatId: 5002, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const retried = one.sendMessage(5002, 'slowed');
    const refused = await fake.waitForCall('sendMessage', { since, test: (c) => c.error?.error_code === 429 });
    await new Promise((r) => setTimeout(r, 50));
    await two.sendMessage(5003, 'other chat, other instance');
    const other = await fake.waitForCall('sendMessage', { chatId: 5003, since });
    expect(other.at - refused.at).toBeGreaterThanOrEqual(900);
    await retried;
  });

  it('without Redis each instance paces alone (the contrast)', async () => {
    const scope = unique();
    const opts: PacingOptions = { globalPerSecond: 30, perChatPerSecond: 4, burst: 1 };
    const [one, two] = [instance(null, scope, opts), instance(null, scope, opts)];
    const since = fake.calls.length;
    fake.failNext({ method: 'sendMessage', chatId: 6002, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const retried = one.sendMessage(6002, 'slowed');
    const refused = await fake.waitForCall('sendMessage', { since, test: (c) => c.error?.error_code === 429 });
    await two.sendMessage(6003, 'not held');
    const other = await fake.waitForCall('sendMessage', { chatId: 6003, since });
    expect(other.at - refused.at).toBeLessThan(500);
    await retried;
  });

  it('with REDIS_URL the running bot books its sends in Redis, under its own bot id', async () => {
    const botId = 700_000 + Math.floor(Math.random() * 99_999);
    const token = `${botId}:AAFakeTokenForTheRedisWiringTest_0123`;
    const api = await FakeTelegramApi.start({ token });
    const h = await startHarness('sqlite', { REDIS_URL, TELEGRAM_BOT_TOKEN: token }, api);
    try {
      // The harness turns pacing off; this bot paces as in production.
      await h.channel.stop();
      const live = await startTelegram(h.t.container, null, { token, sender: { pacing: telegramPacing, maxRetryAttempts: 1, maxDelaySeconds: 2 } });
      try {
        const c = new Chat(api, newUser());
        await c.message(c.say('hi'), /Welcome/);
        const tag = `{chatshop:pacing:telegram:${botId}}`;
        expect(await a.exists(`${tag}:global`, `${tag}:chat:${c.user.id}`)).toBe(2);
      } finally {
        await live.stop();
      }
    } finally {
      await h.close();
      await api.close();
    }
  });

  it('falls back to pacing in this process when Redis is unreachable', async () => {
    const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    const pacing = pacingFor({ globalPerSecond: 30, perChatPerSecond: 1, burst: 1 }, unique(), redisPacing(down), log);
    expect(await pacing.reserve('c')).toBe(0);
    expect(await pacing.reserve('c')).toBeGreaterThan(900);
    down.disconnect();
  });
});
