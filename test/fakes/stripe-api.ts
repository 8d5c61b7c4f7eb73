import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** One request the fake received, as the Stripe SDK sent it. */
export interface StripeCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
  idempotencyKey: string | null;
  /** True when the answer was the saved one of an earlier request with the same key. */
  replayed: boolean;
}

export type Failure = { status: number; message?: string } | { hangMs: number };

type Obj = Record<string, unknown>;

/** Parses Stripe's form encoding (`line_items[0][price_data][currency]=eur`) into nested objects and arrays. */
export function parseForm(text: string): Obj {
  const root: Obj = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: Obj | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? '');
      const slot = Array.isArray(node) ? Number(part) : part;
      const container = node as Record<string | number, unknown>;
      if (last) container[slot] = value;
      else {
        container[slot] ??= nextIsIndex ? [] : {};
        node = container[slot] as Obj | unknown[];
      }
    });
  }
  return root;
}

/**
 * A small Stripe API on 127.0.0.1 that the real `stripe` client talks to:
 * Checkout Sessions (create, retrieve, list by payment_intent) and refunds.
 * Records every call with its Idempotency-Key, answers a repeated key with
 * the saved response (as Stripe does), and can be scripted to fail.
 */
export class FakeStripe {
  readonly calls: StripeCall[] = [];
  readonly sessions = new Map<string, Obj>();
  readonly refunds: Obj[] = [];
  private readonly saved = new Map<string, { status: number; body: Obj }>();
  private failures: Failure[] = [];
  private stickyFailure: Failure | null = null;
  private seq = 0;
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private readonly signer = new Stripe('sk_test_signer');
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `n` requests fail this way (500s, or hang for `hangMs` so the client times out). */
  failNext(n: number, failure: Failure = { status: 500 }): void {
    for (let i = 0; i < n; i++) this.failures.push(failure);
  }

  /** Every request fails until heal(). */
  down(failure: Failure = { status: 503, message: 'Stripe is down (scripted)' }): void {
    this.stickyFailure = failure;
  }

  heal(): void {
    this.stickyFailure = null;
    this.failures = [];
  }

  callsTo(method: string, path: string): StripeCall[] {
    return this.calls.filter((c) => c.method === method && c.path === path);
  }

  /** Sessions actually created (a replayed key creates none). */
  createdSessions(): Obj[] {
    return [...this.sessions.values()];
  }

  /** The shopper pays: the session completes with a payment intent; returns the session. */
  pay(sessionId: string): Obj {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: `pi_test_${++this.seq}` });
    return s;
  }

  /** A webhook body and its Stripe-Signature header, signed with generateTestHeaderString. */
  webhook(type: string, object: Obj, secret: string, opts: { id?: string; timestamp?: number } = {}): { payload: string; signature: string; id: string } {
    const id = opts.id ?? `evt_test_${++this.seq}`;
    const payload = JSON.stringify({ id, object: 'event', type, api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } });
    const signature = this.signer.webhooks.generateTestHeaderString({ payload, secret, ...(opts.timestamp !== undefined && { timestamp: opts.timestamp }) });
    return { payload, signature, id };
  }

  /** A charge.refunded charge object for a paid session, as Stripe would send it. */
  chargeFor(sessionId: string, amountRefunded: number, withMetadata = true): Obj {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    const meta = (s.payment_intent_data as Obj | undefined)?.metadata ?? {};
    return { id: `ch_${sessionId}`, object: 'charge', amount: s.amount_total, amount_refunded: amountRefunded, refunded: amountRefunded >= Number(s.amount_total), currency: s.currency, payment_intent: s.payment_intent, metadata: withMetadata ? meta : {} };
  }

  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error('FakeStripe.waitFor timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = method === 'GET' ? Object.fromEntries(url.searchParams) : parseForm(raw);
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' ? key : null;
    const savedKey = idempotencyKey && `${method} ${url.pathname} ${idempotencyKey}`;
    const saved = savedKey ? this.saved.get(savedKey) : undefined;
    this.calls.push({ method, path: url.pathname, body, idempotencyKey, replayed: saved !== undefined });

    const failure = this.failures.shift() ?? this.stickyFailure;
    if (failure && !saved) {
      if ('hangMs' in failure) {
        await new Promise((r) => setTimeout(r, failure.hangMs));
        if (res.destroyed) return;
        return this.send(res, 500, { error: { type: 'api_error', message: 'too late' } });
      }
      return this.send(res, failure.status, { error: { type: 'api_error', message: failure.message ?? 'Scripted failure' } });
    }
    if (saved) return this.send(res, saved.status, saved.body, { 'idempotent-replayed': 'true' });
    const [status, answer] = this.route(method, url, body);
    if (savedKey && status < 500) this.saved.set(savedKey, { status, body: answer });
    this.send(res, status, answer);
  }

  private route(method: string, url: URL, body: Obj): [number, Obj] {
    const path = url.pathname;
    if (method === 'POST' && path === '/v1/checkout/sessions') return [200, this.createSession(body)];
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      const intent = url.searchParams.get('payment_intent');
      const data = [...this.sessions.values()].filter((s) => !intent || s.payment_intent === intent);
      return [200, { object: 'list', url: path, has_more: false, data }];
    }
    const m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && m?.[1]) {
      const s = this.sessions.get(decodeURIComponent(m[1]));
      return s ? [200, s] : [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such checkout.session' } }];
    }
    if (method === 'POST' && path === '/v1/refunds') return this.createRefund(body);
    return [404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } }];
  }

  private createSession(body: Obj): Obj {
    const id = `cs_test_${++this.seq}`;
    const lines = (body.line_items as Obj[] | undefined) ?? [];
    const amount = lines.reduce((sum, l) => sum + Number((l.price_data as Obj).unit_amount) * Number(l.quantity ?? 1), 0);
    const first = (lines[0]?.price_data as Obj | undefined)?.currency;
    const currency = typeof first === 'string' ? first : 'eur';
    const session: Obj = {
      ...body,
      id,
      object: 'checkout.session',
      url: `https://checkout.stripe.test/c/pay/${id}`,
      status: 'open',
      payment_status: 'unpaid',
      amount_total: amount,
      currency,
      payment_intent: null,
      client_reference_id: body.client_reference_id ?? null,
      metadata: body.metadata ?? {},
      expires_at: body.expires_at === undefined ? null : Number(body.expires_at),
    };
    this.sessions.set(id, session);
    return session;
  }

  private createRefund(body: Obj): [number, Obj] {
    const intent = typeof body.payment_intent === 'string' ? body.payment_intent : '';
    const session = [...this.sessions.values()].find((s) => s.payment_intent === intent);
    if (!session) return [400, { error: { type: 'invalid_request_error', message: 'No such payment_intent' } }];
    const already = this.refunds.filter((r) => r.payment_intent === intent).reduce((s, r) => s + Number(r.amount), 0);
    const amount = body.amount === undefined ? Number(session.amount_total) - already : Number(body.amount);
    if (already + amount > Number(session.amount_total)) {
      return [400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Refund amount exceeds the charge' } }];
    }
    const refund: Obj = { id: `re_test_${++this.seq}`, object: 'refund', amount, currency: session.currency, payment_intent: intent, status: 'succeeded', metadata: body.metadata ?? {} };
    this.refunds.push(refund);
    return [200, refund];
  }

  private send(res: ServerResponse, status: number, body: Obj, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++this.seq}`, ...headers });
    res.end(JSON.stringify(body));
  }
}

export async function startFakeStripe(): Promise<FakeStripe> {
  return new FakeStripe().start();
}
