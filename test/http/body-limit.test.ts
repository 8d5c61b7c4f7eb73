import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** Over the 1 MiB that every route but the import accepts. */
const TOO_LARGE = 1024 * 1024 + 1;

describe('request body limit, over real HTTP', () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    await seedDemoStore(t.container.services.catalog);
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await t.close();
  });

  const cart = async () => ((await (await fetch(`${base}/api/v1/stores/demo/carts`, { method: 'POST' })).json()) as { id: string }).id;
  const addItem = (cartId: string, body: NonNullable<RequestInit['body']>, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/v1/stores/demo/carts/${cartId}/items`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' });
  /** One unit of a mug, with whitespace (still valid JSON) up to `size` bytes. */
  const padded = (size: number) => JSON.stringify({ sku: 'MUG-CLASSIC', quantity: 1 }).padEnd(size);

  it('refuses a body whose declared length is too large, with a clear error', async () => {
    const res = await addItem(await cart(), padded(TOO_LARGE));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a streamed body (no length declared) once it grows too large', async () => {
    const bytes = new TextEncoder().encode(padded(TOO_LARGE));
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024));
        c.close();
      },
    });
    const res = await addItem(await cart(), stream);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lets bodies under the limit through, declared or streamed, and the route reads them', async () => {
    const id = await cart();
    const declared = await addItem(id, padded(1000));
    expect(declared.status).toBe(200);
    const text = new TextEncoder().encode(JSON.stringify({ sku: 'MUG-CLASSIC', quantity: 2 }));
    const streamed = await addItem(id, new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(text), c.close()) }));
    expect(streamed.status).toBe(200);
    const body = (await streamed.json()) as { items: { sku: string; quantity: number }[] };
    expect(body.items).toEqual([expect.objectContaining({ sku: 'MUG-CLASSIC', quantity: 3 })]);
  });
});
