import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, HttpError, InputFile } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { botApiFetch, type BotApiFetch } from '../../adapters/telegram/api-fetch.ts';

/** A Bot API stand-in: answers every request with `answer`, and records what came and on which connection. */
async function server(answer: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void) {
  const seen: { method: string; url: string; type: string; body: Buffer; socket: number }[] = [];
  const sockets: unknown[] = [];
  const closed: number[] = [];
  const s: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', type: String(req.headers['content-type']), body, socket: sockets.indexOf(req.socket) });
      answer(req, body, res);
    });
  });
  s.on('connection', (socket) => {
    const n = sockets.push(socket) - 1;
    socket.on('close', () => closed.push(n));
  });
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const root = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { root, seen, sockets, closed, close: () => new Promise<void>((r) => s.close(() => r())) };
}

const ok = (result: unknown) => (_req: IncomingMessage, _body: Buffer, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true, result }));
};

describe('Bot API HTTP client (undici, for grammY)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const started = async (answer: Parameters<typeof server>[0]) => {
    const srv = await server(answer);
    const http: BotApiFetch = botApiFetch();
    cleanup.push(srv.close, () => http.close());
    return { srv, http };
  };

  it('sends grammY’s JSON calls on kept-alive connections and returns the result', async () => {
    const { srv, http } = await started(ok({ message_id: 7, date: 1, chat: { id: 42, type: 'private' }, text: 'hi' }));
    const api = new Api('123:abc', { apiRoot: srv.root, fetch: http.fetch });
    const sent = await api.sendMessage(42, 'hi', { reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } });
    for (let i = 0; i < 9; i++) await api.sendMessage(42, 'again');
    expect(sent.message_id).toBe(7);
    expect(srv.seen.map((r) => [r.method, r.url, r.type])).toEqual(Array.from({ length: 10 }, () => ['POST', '/bot123:abc/sendMessage', 'application/json']));
    expect(JSON.parse(srv.seen[0]?.body.toString() ?? '')).toEqual({ chat_id: 42, text: 'hi', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } });
    // One after the other: undici hands a connection back just after the next call asked, so two take turns.
    expect(srv.sockets.length).toBeLessThanOrEqual(2);
  });

  it('uploads a file as multipart form data', async () => {
    const { srv, http } = await started(ok({ message_id: 8, date: 1, chat: { id: 42, type: 'private' }, photo: [] }));
    const api = new Api('123:abc', { apiRoot: srv.root, fetch: http.fetch });
    await api.sendPhoto(42, new InputFile(Buffer.from('PNGDATA'), 'stats.png'), { caption: 'Sales' });
    const req = srv.seen[0];
    expect(req?.type).toMatch(/^multipart\/form-data; boundary=/);
    const text = req?.body.toString() ?? '';
    expect(text).toContain("filename=stats.png");
    expect(text).toContain('PNGDATA');
    expect(text).toContain('Sales');
  });

  it('gives grammY the Bot API’s own error (400 with a description)', async () => {
    const { srv, http } = await started((_req, _body, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: chat not found' }));
    });
    const api = new Api('123:abc', { apiRoot: srv.root, fetch: http.fetch });
    await expect(api.sendMessage(1, 'x')).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: chat not found' });
  });

  it('turns a body that is not JSON (a proxy’s 502 page) into grammY’s HttpError', async () => {
    const { srv, http } = await started((_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    const api = new Api('123:abc', { apiRoot: srv.root, fetch: http.fetch });
    await expect(api.getMe()).rejects.toBeInstanceOf(HttpError);
  });

  it('gives up on a call that is never answered when grammY’s timeout aborts it', async () => {
    const { srv, http } = await started(() => {});
    const api = new Api('123:abc', { apiRoot: srv.root, fetch: http.fetch, timeoutSeconds: 1 });
    const t0 = Date.now();
    await expect(api.getMe()).rejects.toBeInstanceOf(HttpError);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('closes its connections on close(), and a second close() is the same', async () => {
    const { srv, http } = await started(ok(true));
    const api = new Api('123:abc', { apiRoot: srv.root, fetch: http.fetch });
    await api.deleteWebhook();
    expect(srv.closed).toEqual([]);
    await Promise.all([http.close(), http.close()]);
    await expect.poll(() => srv.closed.length).toBe(srv.sockets.length);
    await expect(api.deleteWebhook()).rejects.toBeInstanceOf(HttpError);
  });
});
