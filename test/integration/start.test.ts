import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `src/main.ts` as `npm start` would, with only the given environment. */
function start(env: Record<string, string>): Running {
  const child = spawn(tsx, ['src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor<T>(probe: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const portOf = (out: string) => {
  const m = /"port":(\d+)/.exec(out);
  return m?.[1] ? Number(m[1]) : undefined;
};

describe('npm start on a fresh clone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatshop-start-'));
  const env = { DATABASE_URL: `file:${join(dir, 'shop.db')}`, LOG_LEVEL: 'info' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, seeds the demo store, prints an admin key once, serves, and drains on SIGTERM', async () => {
    const first = start(env);
    const port = await waitFor(() => portOf(first.output()), 'the server to listen');
    const out = first.output();
    expect(out).toContain('telegram: off, set TELEGRAM_BOT_TOKEN');
    expect(out).toContain('demo store \\"demo\\" seeded');
    const key = /\n {2}(csk_\S+)\n/.exec(out)?.[1];
    expect(key).toBeDefined();
    expect(out.match(/csk_\S+/g)).toHaveLength(1); // shown once, never in the structured log

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { status: 'up', provider: 'sqlite' } });
    const products = (await (await fetch(`http://127.0.0.1:${port}/api/v1/stores/demo/products?limit=100`)).json()) as { items: unknown[] };
    expect(products.items).toHaveLength(40);
    const orders = await fetch(`http://127.0.0.1:${port}/api/v1/stores/demo/orders`, { headers: { authorization: `Bearer ${key}` } });
    expect(orders.status).toBe(200);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('stopped cleanly');

    // Second start: nothing to migrate or seed, and no second key.
    const second = start(env);
    await waitFor(() => portOf(second.output()), 'the second start');
    expect(second.output()).not.toContain('csk_');
    expect(second.output()).not.toContain('seeded');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);

  it('stops with a message naming the key when a value is bad', async () => {
    const bad = start({ ...env, PORT: 'eighty', ADMIN_TOKEN: 'too-short' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PORT/);
    expect(bad.output()).toMatch(/ADMIN_TOKEN: must be at least 16 characters/);
    expect(bad.output()).not.toContain('too-short');
  }, 30_000);
});
