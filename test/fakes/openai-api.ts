import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown>;

/** One request the fake received, as the openai SDK sent it. */
export interface OpenAiCall {
  path: string;
  body: Obj;
  authorization: string | null;
  at: number;
}

/** A scripted chat answer: text, tool calls (arguments as an object or raw JSON text), a delay or an error status. */
export interface ChatScript {
  content?: string | null;
  toolCalls?: { name: string; arguments: unknown; id?: string }[];
  delayMs?: number;
  status?: number;
}

export type Failure = { status: number; message?: string; path?: 'chat' | 'embeddings' } | { hangMs: number; path?: 'chat' | 'embeddings' };

const DEFAULT_DIMS = 8;

/** A deterministic unit-ish vector from the text's SHA-256 (the same text always gives the same vector). */
export function hashedVector(text: string, dims = DEFAULT_DIMS): number[] {
  const h = createHash('sha256').update(text).digest();
  return Array.from({ length: dims }, (_, i) => ((h[i % h.length] ?? 0) - 127.5) / 127.5);
}

function float32Base64(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}

/**
 * A small OpenAI API on 127.0.0.1 for the real `openai` client:
 * `POST /v1/chat/completions` answers from a script (text, tool_calls, delays,
 * errors; a plain default when the script is empty) and `POST /v1/embeddings`
 * answers in the `encoding_format` asked (base64 Float32 LE, as the SDK asks
 * by default, or float) with deterministic vectors that tests can pin per
 * text. Every request is recorded.
 */
export class FakeOpenAI {
  readonly calls: OpenAiCall[] = [];
  /** Answer when no chat script is queued. */
  defaultChat: ChatScript = { content: 'How can I help you today?' };
  private chatScript: ChatScript[] = [];
  private vectorRules: { match: string | RegExp; vector: number[] }[] = [];
  private failures: Failure[] = [];
  private sticky: Failure | null = null;
  private seq = 0;
  private readonly server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor(readonly dims = DEFAULT_DIMS) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Base URL for OPENAI_BASE_URL / the client's `baseURL`. */
  get baseURL(): string {
    return `${this.url}/v1`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queue chat answers, one per request, in order. */
  respondChat(...scripts: ChatScript[]): void {
    this.chatScript.push(...scripts);
  }

  /** Texts that contain `match` (or match the RegExp) embed to `vector`; the first rule that matches wins. */
  setVector(match: string | RegExp, vector: number[]): void {
    this.vectorRules.push({ match, vector });
  }

  vectorFor(text: string): number[] {
    const rule = this.vectorRules.find((r) => (typeof r.match === 'string' ? text.includes(r.match) : r.match.test(text)));
    return rule ? [...rule.vector, ...Array<number>(Math.max(0, this.dims - rule.vector.length)).fill(0)].slice(0, this.dims) : hashedVector(text, this.dims);
  }

  /** The next `n` requests (of one path, if given) fail this way. */
  failNext(n: number, failure: Failure = { status: 500 }): void {
    for (let i = 0; i < n; i++) this.failures.push(failure);
  }

  /** Every request fails until heal(). */
  down(failure: Failure = { status: 503, message: 'OpenAI is down (scripted)' }): void {
    this.sticky = failure;
  }

  heal(): void {
    this.sticky = null;
    this.failures = [];
  }

  reset(): void {
    this.heal();
    this.calls.length = 0;
    this.chatScript = [];
    this.vectorRules = [];
  }

  chatRequests(): Obj[] {
    return this.calls.filter((c) => c.path === '/v1/chat/completions').map((c) => c.body);
  }

  embeddingRequests(): Obj[] {
    return this.calls.filter((c) => c.path === '/v1/embeddings').map((c) => c.body);
  }

  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error('FakeOpenAI.waitFor timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private takeFailure(kind: 'chat' | 'embeddings'): Failure | null {
    if (this.sticky && (!this.sticky.path || this.sticky.path === kind)) return this.sticky;
    const i = this.failures.findIndex((f) => !f.path || f.path === kind);
    return i < 0 ? null : (this.failures.splice(i, 1)[0] ?? null);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '').split('?')[0] ?? '';
    let body: Obj = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Obj;
    } catch {
      return send(res, 400, { error: { message: 'invalid JSON', type: 'invalid_request_error' } });
    }
    this.calls.push({ path, body, authorization: req.headers.authorization ?? null, at: Date.now() });
    if (!req.headers.authorization?.startsWith('Bearer ')) return send(res, 401, { error: { message: 'missing API key', type: 'invalid_request_error' } });
    const kind = path === '/v1/chat/completions' ? 'chat' : path === '/v1/embeddings' ? 'embeddings' : null;
    if (req.method !== 'POST' || !kind) return send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    const failure = this.takeFailure(kind);
    if (failure && 'hangMs' in failure) await sleep(failure.hangMs);
    else if (failure) return send(res, failure.status, { error: { message: failure.message ?? 'scripted failure', type: 'server_error' } });
    return kind === 'chat' ? this.chat(res, body) : this.embeddings(res, body);
  }

  private async chat(res: ServerResponse, body: Obj): Promise<void> {
    const script = this.chatScript.shift() ?? this.defaultChat;
    if (script.delayMs) await sleep(script.delayMs);
    if (script.status) return send(res, script.status, { error: { message: 'scripted failure', type: 'server_error' } });
    const toolCalls = (script.toolCalls ?? []).map((c) => ({
      id: c.id ?? `call_${++this.seq}`,
      type: 'function',
      function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
    }));
    const message = { role: 'assistant', content: script.content ?? null, refusal: null, ...(toolCalls.length && { tool_calls: toolCalls }) };
    send(res, 200, {
      id: `chatcmpl_${++this.seq}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: toolCalls.length ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
  }

  private embeddings(res: ServerResponse, body: Obj): void {
    const input = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input.map(String) : [];
    const base64 = (body.encoding_format ?? 'base64') === 'base64';
    send(res, 200, {
      object: 'list',
      model: body.model,
      data: input.map((text, index) => {
        const v = this.vectorFor(text);
        return { object: 'embedding', index, embedding: base64 ? float32Base64(v) : v };
      }),
      usage: { prompt_tokens: input.length, total_tokens: input.length },
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
