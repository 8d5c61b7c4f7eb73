import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { multipartBody } from './multipart.ts';

/**
 * A fake Telegram Bot API on 127.0.0.1 for the real grammY client
 * (`client.apiRoot` / TELEGRAM_API_ROOT): answers the methods the bot uses,
 * records every call with its result, queues updates for getUpdates (long
 * polls with a short timeout), scripts errors per method and chat (429 with
 * retry_after, 403 blocked, …) and offers waitFor() instead of sleeps.
 */

export type Json = Record<string, any>;

export interface RecordedCall {
  method: string;
  token: string;
  body: Json;
  /** The result answered, or undefined when an error was scripted. */
  result: unknown;
  error?: { error_code: number; description: string } | undefined;
  at: number;
}

export interface ScriptedError {
  method: string;
  chatId?: number | string;
  /** How many calls fail (default 1). */
  times?: number;
  error_code: number;
  description: string;
  retry_after?: number;
}

export interface FakeOptions {
  token: string;
  username?: string;
  /** Longest a getUpdates call is held open (default 100 ms, whatever the client asks). */
  pollTimeoutMs?: number;
  /** Random failures of send* calls (chaos tests); off by default. */
  chaos?: ChaosOptions;
  /** Telegram's limits on send* calls, enforced in real time with 429 + retry_after; off by default. */
  rateLimit?: { globalPerSecond: number; perChatPerSecond: number };
}

export interface ChaosOptions {
  /** Shares of send* calls answered 429 (retry_after 1..maxRetryAfter), 5xx and 403. */
  rate429: number;
  rate5xx: number;
  rate403: number;
  maxRetryAfter: number;
  /** Source of randomness (seeded in tests). */
  random: () => number;
}

export interface TgUser {
  id: number;
  is_bot: false;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** What getMe answers for a bot with this id and username (the fake's own, and tests that build a Context). */
export function botIdentity(id: number, username: string) {
  return {
    id,
    is_bot: true as const,
    first_name: 'chatshop test',
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: true,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

export class FakeTelegramApi {
  readonly calls: RecordedCall[] = [];
  private readonly events = new EventEmitter();
  private readonly queue: Json[] = [];
  private readonly waiting = new Set<() => void>();
  private readonly errors: (ScriptedError & { left: number })[] = [];
  private nextUpdate = 1;
  private nextMessage = 1;
  private latencyMs = 0;
  private held = 0;
  /** The most calls waiting out the latency at once (how many a client had in flight). */
  maxHeld = 0;
  readonly botInfo;

  private constructor(
    private readonly server: Server,
    readonly apiRoot: string,
    private readonly opts: FakeOptions,
  ) {
    this.events.setMaxListeners(0);
    this.botInfo = botIdentity(Number(opts.token.split(':')[0]), opts.username ?? 'chatshop_test_bot');
  }

  static async start(opts: FakeOptions): Promise<FakeTelegramApi> {
    const holder: { fake?: FakeTelegramApi } = {};
    const server = createServer((req, res) => void holder.fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.fake = new FakeTelegramApi(server, `http://127.0.0.1:${port}`, opts);
    return holder.fake;
  }

  // ── scripting ──────────────────────────────────────────────────────────

  failNext(e: ScriptedError): void {
    this.errors.push({ ...e, left: e.times ?? 1 });
  }

  /** Every answer waits this long first (benchmarks use 0). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  // ── updates ────────────────────────────────────────────────────────────

  newUpdateId(): number {
    return this.nextUpdate++;
  }

  /** Queues an update for getUpdates; update_id is assigned when absent. Returns the update. */
  push(update: Json): Json {
    const u = update.update_id === undefined ? { update_id: this.newUpdateId(), ...update } : update;
    this.queue.push(u);
    for (const wake of this.waiting) wake();
    return u;
  }

  static messageUpdate(from: TgUser, text: string, chat: Json = { id: from.id, type: 'private', first_name: from.first_name }, extra: Json = {}): Json {
    const command = /^\/\S+/.exec(text);
    return {
      message: {
        message_id: Math.floor(Math.random() * 1e6),
        from,
        chat,
        date: Math.floor(Date.now() / 1000),
        text,
        ...(command && { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }),
        ...extra,
      },
    };
  }

  static callbackUpdate(from: TgUser, data: string, message: Json | undefined): Json {
    return { callback_query: { id: `cq${Math.random().toString(36).slice(2)}`, from, chat_instance: 'ci1', data, ...(message && { message }) } };
  }

  /** Payments: a pre_checkout_query, and a private message carrying successful_payment. */
  static preCheckoutUpdate = (from: TgUser, q: { invoice_payload: string; total_amount: number; currency: string }): Json => ({ pre_checkout_query: { id: `pc${Math.random().toString(36).slice(2)}`, from, ...q } });
  static paymentUpdate = (from: TgUser, successful_payment: Json): Json => ({ message: { message_id: Math.floor(Math.random() * 1e6), from, chat: { id: from.id, type: 'private', first_name: from.first_name }, date: Math.floor(Date.now() / 1000), successful_payment } });

  static inlineUpdate(from: TgUser, query: string): Json {
    return { inline_query: { id: `iq${Math.random().toString(36).slice(2)}`, from, query, offset: '' } };
  }

  // ── assertions ─────────────────────────────────────────────────────────

  callsTo(method: string, chatId?: number | string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (chatId === undefined || String(c.body.chat_id) === String(chatId)));
  }

  /** Calls `listener` with every call as it is recorded; returns the unsubscribe. */
  onCall(listener: (call: RecordedCall) => void): () => void {
    const l = () => {
      const last = this.calls.at(-1);
      if (last) listener(last);
    };
    this.events.on('call', l);
    return () => this.events.off('call', l);
  }

  /** Resolves with the predicate's first truthy answer over the recorded calls; rejects after timeoutMs. */
  waitFor<T>(predicate: (calls: RecordedCall[]) => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const now = predicate(this.calls);
    if (now) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = predicate(this.calls);
        if (!v) return;
        cleanup();
        resolve(v);
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.calls.slice(-8).map((c) => `${c.method} ${JSON.stringify(c.body).slice(0, 160)}`);
        reject(new Error(`waitFor timed out after ${timeoutMs} ms; last calls:\n${recent.join('\n')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('call', check);
      };
      this.events.on('call', check);
    });
  }

  /** The first call of `method` (into `chatId`) after index `since` matching `test`. */
  waitForCall(method: string, opts: { chatId?: number | string; since?: number; test?: (c: RecordedCall) => boolean; timeoutMs?: number } = {}): Promise<RecordedCall> {
    return this.waitFor(
      (calls) =>
        calls.slice(opts.since ?? 0).find((c) => c.method === method && (opts.chatId === undefined || String(c.body.chat_id) === String(opts.chatId)) && (opts.test?.(c) ?? true)),
      opts.timeoutMs,
    );
  }

  async close(): Promise<void> {
    for (const wake of this.waiting) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── the server ─────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const send = (status: number, body: Json) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m?.[1] || !m[2]) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m;
    let body: Json = {};
    const type = req.headers['content-type'] ?? '';
    try {
      body = type.startsWith('multipart/form-data') ? await multipartBody(bytes, type) : raw ? (JSON.parse(raw) as Json) : {};
    } catch {
      return send(400, { ok: false, error_code: 400, description: 'Bad Request: body is neither JSON nor multipart form data' });
    }
    if (token !== this.opts.token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    if (this.latencyMs) {
      this.maxHeld = Math.max(this.maxHeld, ++this.held);
      await new Promise((r) => setTimeout(r, this.latencyMs));
      this.held--;
    }
    const scripted = this.errors.find((e) => e.left > 0 && e.method === method && (e.chatId === undefined || String(e.chatId) === String(body.chat_id)));
    if (scripted) {
      scripted.left--;
      const error = { error_code: scripted.error_code, description: scripted.description };
      this.record({ method, token, body, result: undefined, error, at: Date.now() });
      return send(scripted.error_code, { ok: false, ...error, ...(scripted.retry_after !== undefined && { parameters: { retry_after: scripted.retry_after } }) });
    }
    const refused = /^send/.test(method) ? this.refusal(body) : null;
    if (refused) {
      const { retry_after, ...error } = refused;
      this.record({ method, token, body, result: undefined, error, at: Date.now() });
      return send(error.error_code, { ok: false, ...error, ...(retry_after !== undefined && { parameters: { retry_after } }) });
    }
    if (method === 'getUpdates') {
      const updates = await this.getUpdates(body);
      this.record({ method, token, body, result: updates, at: Date.now() });
      return send(200, { ok: true, result: updates });
    }
    const result = this.answer(method, body);
    this.record({ method, token, body, result, at: Date.now() });
    send(200, { ok: true, result });
  }

  /** Send times accepted in the last second (rate-limit mode) and each chat's last accepted send. */
  private readonly accepted: number[] = [];
  private readonly chatLast = new Map<string, number>();

  /** A chaos failure or a rate-limit 429 for this send, else null (and the send counts against the limits). */
  private refusal(body: Json): { error_code: number; description: string; retry_after?: number } | null {
    const c = this.opts.chaos;
    if (c) {
      const r = c.random();
      if (r < c.rate429) return { error_code: 429, description: 'Too Many Requests: retry later', retry_after: 1 + Math.floor(c.random() * c.maxRetryAfter) };
      if (r < c.rate429 + c.rate5xx) return { error_code: 502, description: 'Bad Gateway' };
      if (r < c.rate429 + c.rate5xx + c.rate403) return { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
    }
    const limit = this.opts.rateLimit;
    if (!limit) return null;
    const now = Date.now();
    while (this.accepted.length && (this.accepted[0] ?? 0) <= now - 1000) this.accepted.shift();
    const chat = String(body.chat_id);
    const last = this.chatLast.get(chat);
    const tooMany = (wait: number) => ({ error_code: 429, description: `Too Many Requests: retry after ${Math.max(1, Math.ceil(wait / 1000))}`, retry_after: Math.max(1, Math.ceil(wait / 1000)) });
    if (this.accepted.length >= limit.globalPerSecond) return tooMany((this.accepted[0] ?? now) + 1000 - now);
    if (last !== undefined && now - last < 1000 / limit.perChatPerSecond) return tooMany(last + 1000 / limit.perChatPerSecond - now);
    this.accepted.push(now);
    this.chatLast.set(chat, now);
    return null;
  }

  private record(c: RecordedCall) {
    this.calls.push(c);
    this.events.emit('call');
  }

  private async getUpdates(body: Json): Promise<Json[]> {
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    // Updates below the offset are confirmed: Telegram forgets them.
    while (this.queue.length && (this.queue[0]?.update_id ?? 0) < offset) this.queue.shift();
    if (!this.queue.length) {
      const holdMs = Math.min((typeof body.timeout === 'number' ? body.timeout : 0) * 1000, this.opts.pollTimeoutMs ?? 100);
      if (holdMs > 0) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(t);
            this.waiting.delete(wake);
            resolve();
          };
          const t = setTimeout(wake, holdMs);
          this.waiting.add(wake);
        });
      }
    }
    const limit = typeof body.limit === 'number' ? body.limit : 100;
    return this.queue.filter((u) => (u.update_id ?? 0) >= offset).slice(0, limit);
  }

  private message(body: Json, extra: Json): Json {
    const chatId = body.chat_id as number | string;
    const numeric = Number(chatId);
    return {
      message_id: body.message_id ?? this.nextMessage++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: numeric, type: numeric > 0 ? 'private' : 'supergroup' },
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username },
      ...(body.reply_markup && { reply_markup: body.reply_markup }),
      ...extra,
    };
  }

  private answer(method: string, body: Json): unknown {
    switch (method) {
      case 'getMe': return this.botInfo;
      case 'sendMessage':
      case 'editMessageText': return this.message(body, { text: body.text });
      case 'sendPhoto': return this.message(body, { photo: [{ file_id: 'photo1', file_unique_id: 'p1', width: 800, height: 800 }], caption: body.caption });
      case 'editMessageCaption': return this.message(body, { photo: [{ file_id: 'photo1', file_unique_id: 'p1', width: 800, height: 800 }], caption: body.caption });
      case 'editMessageReplyMarkup': return this.message(body, {});
      case 'sendInvoice': return this.message(body, { invoice: { title: body.title, description: body.description, start_parameter: '', currency: body.currency, total_amount: (body.prices as { amount: number }[]).reduce((a, p) => a + p.amount, 0) } });
      case 'getWebhookInfo': return { url: '', has_custom_certificate: false, pending_update_count: 0 };
      default: return true; // deleteWebhook, setWebhook, setMyCommands, answerCallbackQuery, answerInlineQuery, …
    }
  }
}

/** Buttons of a recorded call's inline keyboard, flattened. */
export function buttonsOf(call: RecordedCall | undefined): { text: string; callback_data?: string; url?: string }[] {
  const rows = call?.body.reply_markup?.inline_keyboard as { text: string; callback_data?: string; url?: string }[][] | undefined;
  return rows?.flat() ?? [];
}
