import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** One REST request the fake received; `path` is decoded and without the `/api/v10` prefix. */
export interface DiscordCall {
  method: string;
  path: string;
  body: any;
  auth: string | null;
}

/** A scripted answer for the next matching request(s), e.g. a 429 with retry_after or a 500. */
export interface ScriptedAnswer {
  method?: string;
  path: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
}

export const BOT_USER = { id: '900000000000000001', username: 'chatshop', discriminator: '0', global_name: 'chatshop', avatar: null, bot: true };
export const GUILD_ID = '800000000000000001';
export const GUILD_CHANNEL_ID = '810000000000000001';

/**
 * A small Discord REST API (and gateway, over `ws`) on 127.0.0.1 that the real
 * @discordjs/rest and discord.js clients talk to. Records every call, answers
 * like Discord (interaction callbacks, webhook follow-ups and edits, DM
 * channels, channel messages, command registration, /gateway/bot) and can be
 * scripted to fail. `waitFor` resolves on a matching call instead of sleeping.
 */
export class FakeDiscord {
  readonly calls: DiscordCall[] = [];
  readonly gateway = new FakeGateway();
  private scripted: ScriptedAnswer[] = [];
  private readonly events = new EventEmitter();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private seq = 0;
  url = '';

  async start(): Promise<this> {
    this.server.on('upgrade', (req, socket, head) => this.gateway.upgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  script(answer: ScriptedAnswer): void {
    this.scripted.push({ times: 1, ...answer });
  }

  find(method: string, path: RegExp): DiscordCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  /** The first call (already made or still to come) that matches; fails after `timeoutMs`. */
  waitFor(method: string, path: RegExp, where: (c: DiscordCall) => boolean = () => true, timeoutMs = 5000): Promise<DiscordCall> {
    const matches = (c: DiscordCall) => c.method === method && path.test(c.path) && where(c);
    const done = this.calls.find(matches);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const onCall = (c: DiscordCall) => {
        if (!matches(c)) return;
        clearTimeout(timer);
        this.events.off('call', onCall);
        resolve(c);
      };
      const timer = setTimeout(() => {
        this.events.off('call', onCall);
        reject(new Error(`no ${method} ${path} within ${timeoutMs} ms; calls: ${this.calls.map((c) => `${c.method} ${c.path}`).join(', ')}`));
      }, timeoutMs);
      this.events.on('call', onCall);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, '');
    const call: DiscordCall = { method: req.method ?? 'GET', path, body: text ? JSON.parse(text) : null, auth: req.headers.authorization ?? null };
    this.calls.push(call);
    this.events.emit('call', call);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const s = this.scripted.find((a) => (!a.method || a.method === call.method) && a.path.test(path));
    if (s) {
      if (s.times !== undefined && --s.times <= 0) this.scripted = this.scripted.filter((a) => a !== s);
      return send(s.status, s.body ?? {}, s.headers);
    }
    const message = () => ({ id: String(++this.seq), type: 0, author: BOT_USER, timestamp: new Date().toISOString(), ...call.body });
    let m: RegExpExecArray | null;
    if (call.method === 'POST' && /^\/interactions\/[^/]+\/[^/]+\/callback$/.test(path)) return send(204);
    if ((m = /^\/webhooks\/([^/]+)\/([^/]+)\/messages\/@original$/.exec(path))) return call.method === 'DELETE' ? send(204) : send(200, message());
    if (call.method === 'POST' && /^\/webhooks\/[^/]+\/[^/]+$/.test(path)) return send(200, message());
    if (call.method === 'POST' && path === '/users/@me/channels') return send(200, { id: `dm-${String(call.body?.recipient_id)}`, type: 1, recipients: [{ id: call.body?.recipient_id }] });
    if (call.method === 'POST' && (m = /^\/channels\/([^/]+)\/messages$/.exec(path))) return send(200, { ...message(), channel_id: m[1] });
    if (call.method === 'PUT' && (m = /^\/applications\/([^/]+)(?:\/guilds\/[^/]+)?\/commands$/.exec(path))) {
      const list = Array.isArray(call.body) ? (call.body as object[]) : [];
      return send(200, list.map((c, i) => ({ id: `cmd${i}`, application_id: m?.[1], version: '1', ...c })));
    }
    if (call.method === 'GET' && path === '/gateway/bot') {
      return send(200, { url: this.url.replace('http', 'ws'), shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } });
    }
    if (call.method === 'GET' && path === '/users/@me') return send(200, BOT_USER);
    return send(404, { message: '404: Not Found', code: 0 });
  }
}

/**
 * Imitates Discord's gateway just enough for discord.js: HELLO, IDENTIFY →
 * READY + GUILD_CREATE, heartbeat ACKs, then whatever `dispatch` sends.
 */
export class FakeGateway {
  readonly identified: any[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;
  private readonly ready = new EventEmitter();

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
  }

  /** Resolves once a client has identified and been sent READY. */
  whenIdentified(timeoutMs = 10_000): Promise<void> {
    if (this.identified.length) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no IDENTIFY on the fake gateway')), timeoutMs);
      this.ready.once('identified', () => (clearTimeout(timer), resolve()));
    });
  }

  dispatch(t: string, d: unknown): void {
    const frame = JSON.stringify({ op: 0, t, s: ++this.seq, d });
    for (const ws of this.sockets) ws.send(frame);
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }

  private connected(ws: WebSocket) {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    ws.on('message', (raw: Buffer) => {
      const msg = JSON.parse(raw.toString('utf8')) as { op: number; d: any };
      if (msg.op === 1) return ws.send(JSON.stringify({ op: 11 }));
      if (msg.op !== 2) return;
      this.identified.push(msg.d);
      const send = (t: string, d: unknown) => ws.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
      send('READY', {
        v: 10,
        user: BOT_USER,
        guilds: [{ id: GUILD_ID, unavailable: true }],
        session_id: 'fake-session',
        resume_gateway_url: 'ws://127.0.0.1:1',
        application: { id: '700000000000000001', flags: 0 },
      });
      send('GUILD_CREATE', {
        id: GUILD_ID, name: 'Fake guild', icon: null, owner_id: '1', unavailable: false, member_count: 1, large: false, joined_at: new Date().toISOString(),
        roles: [], emojis: [], stickers: [], features: [], members: [], presences: [], voice_states: [], threads: [], stage_instances: [], guild_scheduled_events: [],
        channels: [{ id: GUILD_CHANNEL_ID, type: 0, name: 'shop', guild_id: GUILD_ID, position: 0, permission_overwrites: [] }],
      });
      this.ready.emit('identified');
    });
  }
}

