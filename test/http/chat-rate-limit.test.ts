import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { WindowLimiter } from '../../src/http/rate-limit.ts';
import { createRedis } from '../../src/infra/redis/redis-client.ts';
import { redisRateLimiters } from '../../src/infra/redis/redis-limiter.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const turn = (session: string) => ({ session, text: 'hello' });

describe('web chat rate limit', () => {
  let t: TestApp;
  let server: ServerType;
  let base = '';

  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { CHAT_RATE_LIMIT: '3' } });
    await seedDemoStore(t.container.services.catalog);
    server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  it('answers a session up to the limit, then 429 with Retry-After, leaving other sessions alone', async () => {
    for (let i = 0; i < 3; i++) expect((await t.call('POST', '/api/v1/stores/demo/chat', turn('session-aaaa'))).status).not.toBe(429);
    const res = await t.app.request('/api/v1/stores/demo/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(turn('session-aaaa')),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await t.call('POST', '/api/v1/stores/demo/chat', turn('session-bbbb'))).status).not.toBe(429);
  });

  it('holds back one address opening session after session (four times the limit a minute)', async () => {
    const post = (session: string) =>
      fetch(`${base}/api/v1/stores/demo/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(turn(session)) });
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await post(`rotating-${String(i).padStart(4, '0')}`)).status);
    expect(statuses.slice(0, 12).every((s) => s !== 429)).toBe(true);
    expect(statuses[12]).toBe(429);
    // A session already talking keeps its own budget.
    expect((await post('rotating-0000')).status).not.toBe(429);
  });

  it('keeps memory bounded', () => {
    const l = new WindowLimiter(1, 60_000, 100);
    for (let i = 0; i < 1000; i++) l.hit(`k${i}`, 0);
    expect(l.size).toBeLessThanOrEqual(100);
    expect(l.hit('k999', 1)).toBe(60);
    expect(l.hit('k999', 60_000)).toBeNull();
  });
});

describe('web chat rate limit with REDIS_URL (two instances)', () => {
  const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const app = () => createTestApp('sqlite', { env: { CHAT_RATE_LIMIT: '3', REDIS_URL } });
    [a, b] = await Promise.all([app(), app()]);
    for (const t of [a, b]) await seedDemoStore(t.container.services.catalog);
  });
  afterAll(async () => {
    await Promise.all([a, b].map((t) => t.close()));
  });

  it('gives a session one budget across instances, not one per instance', async () => {
    // A session id no earlier run used: the windows live in Redis for a minute.
    const session = `shared-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const status = async (t: TestApp) => (await t.call('POST', '/api/v1/stores/demo/chat', turn(session))).status;
    expect([await status(a), await status(b), await status(a)].every((s) => s === 200)).toBe(true);
    expect(await status(b)).toBe(429);
    expect(await status(a)).toBe(429);
    // Another session has its own budget.
    expect((await a.call('POST', '/api/v1/stores/demo/chat', turn(`${session}-other`))).status).toBe(200);
  });
});

describe('shared rate limits when Redis cannot be reached', () => {
  it('count in this process instead of refusing or letting everything through', async () => {
    const redis = createRedis('redis://127.0.0.1:1', createLogger('silent'));
    try {
      const limiter = redisRateLimiters(redis, createLogger('silent'), 'test')('x', 2, 60_000);
      expect([await limiter.hit('k', 0), await limiter.hit('k', 1), await limiter.hit('k', 2)]).toEqual([null, null, 60]);
      expect(await limiter.knows('k', 3)).toBe(true);
    } finally {
      redis.disconnect();
    }
  });
});
