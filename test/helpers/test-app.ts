import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/env.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { createApp } from '../../src/http/app.ts';
import type { OrderNotifier } from '../../src/orders/orders.ports.ts';
import type { ReferrerNotifier } from '../../src/marketing/referral.ports.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { Clock } from '../../src/shared/time.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

export type DbKind = 'sqlite' | 'postgresql';

/** The databases a suite runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const databases: DbKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgresql'] : ['sqlite'];
export const pgSkipReason = process.env.TEST_DATABASE_URL ? '' : ' (PostgreSQL skipped: TEST_DATABASE_URL not set)';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  container: Container;
  kind: DbKind;
  /** JSON request through app.request(): no port, no network. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database per call: a temp SQLite file, or a new
 * PostgreSQL schema dropped on close, so runs never see each other's rows.
 */
export async function createTestApp(kind: DbKind = 'sqlite', opts: { clock?: Clock; notifier?: OrderNotifier; env?: Record<string, string>; referrerNotifier?: ReferrerNotifier } = {}): Promise<TestApp> {
  let url: string;
  let schema: string | undefined;
  let cleanup: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'chatshop-test-'));
    url = `file:${join(dir, 'test.db')}`;
    cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
  } else {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error('TEST_DATABASE_URL is not set');
    url = base;
    schema = `t_${randomBytes(6).toString('hex')}`;
    cleanup = async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    };
  }
  const config = loadConfig({ DATABASE_URL: url, ADMIN_TOKEN, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...opts.env });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const container = await createContainer(config, log, { schema, clock: opts.clock, notifier: opts.notifier, referrerNotifier: opts.referrerNotifier });
  const app = createApp(container);
  return {
    app,
    container,
    kind,
    async call(method, path, body, headers = {}) {
      const res = await app.request(path, {
        method,
        headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    async close() {
      await container.close();
      await cleanup();
    },
  };
}
