import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { WindowLimiter } from '../../src/http/rate-limit.ts';
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
