/**
 * The Telegram benchmark's other side, run as a child process (see
 * telegram.bench.ts) so that the server under test has its own core: it runs
 * the fake Bot API the bot replies to and POSTs the updates to the webhook.
 *
 * IPC: sends { apiRoot } once the fake listens; receives { url }; then sends
 * { phase, start: true } / { phase, result } around each measured phase (the
 * server side reads its own CPU time at those marks) and { done: true }.
 */
import { FakeTelegramApi } from '../../test/fakes/telegram-bot-api.ts';
import { CLOSED_CONCURRENCY, MAX_IN_FLIGHT, SECRET, TOKEN, type DriverMessage, type PhaseResult } from './telegram-bench-spec.ts';

const USERS = 500;
const WARMUP = 300;
/** What the users say, in turn; BENCH_TEXTS="red hoodie,/cart" measures those alone (profiling one flow). */
const TEXTS = process.env.BENCH_TEXTS ? process.env.BENCH_TEXTS.split(',') : ['hi', '/cart', 'cheapest mug', 'red hoodie', '/orders', 'coffee', '/help'];

const send = (m: DriverMessage) => process.send?.(m);

const fake = await FakeTelegramApi.start({ token: TOKEN });
/** BENCH_API_LATENCY_MS: the fake answers each call after this long, as Telegram's servers do from afar (default 0). */
fake.setLatency(Number(process.env.BENCH_API_LATENCY_MS ?? 0));
/** Resolvers waiting for the first reply into a chat. */
const waiting = new Map<number, () => void>();
fake.onCall((c) => {
  // The fake keeps every call for tests' assertions; kept here, its history grew this process's heap until
  // each full GC paused it 20-25 ms, and those pauses were counted in the server's latency.
  fake.calls.length = 0;
  if (!/^send/.test(c.method)) return;
  const chat = Number(c.body.chat_id);
  const done = waiting.get(chat);
  if (done) {
    waiting.delete(chat);
    done();
  }
});

const { url, openMs, closedMs, rate } = await new Promise<{ url: string; openMs: number; closedMs: number; rate: number }>((resolve) => {
  process.once('message', (m) => resolve(m as { url: string; openMs: number; closedMs: number; rate: number }));
  send({ apiRoot: fake.apiRoot });
});

let n = 0;
/** One update from the next user; resolves with its latency in ms, or null when no reply came within 10 s. */
async function one(): Promise<number | null> {
  const i = n++;
  const user = { id: 10_000 + (i % USERS) + USERS * Math.floor(i / (USERS * 50)), is_bot: false as const, first_name: 'Bench', language_code: 'en' };
  const update = { update_id: fake.newUpdateId(), ...FakeTelegramApi.messageUpdate(user, TEXTS[i % TEXTS.length] ?? 'hi') };
  // One turn per chat at a time keeps "the first reply into the chat" unambiguous.
  while (waiting.has(user.id)) await new Promise((r) => setTimeout(r, 1));
  const start = performance.now();
  const replied = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(user.id);
      resolve(null);
    }, 10_000);
    waiting.set(user.id, () => {
      clearTimeout(timer);
      resolve(performance.now() - start);
    });
  });
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return replied;
}

for (let i = 0; i < WARMUP; i += 10) await Promise.all(Array.from({ length: 10 }, one));

/** Closed loop: CLOSED_CONCURRENCY updates in flight for `ms`. */
async function closedLoop(ms: number): Promise<PhaseResult> {
  const r: PhaseResult = { rate: null, offered: 0, answered: [], lost: 0, shed: 0, failed: 0, secs: 0 };
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLOSED_CONCURRENCY }, async () => {
      while (performance.now() - t0 < ms) {
        r.offered++;
        const lat = await one().catch(() => undefined);
        if (lat === undefined) r.failed++;
        else if (lat === null) r.lost++;
        else r.answered.push(lat);
      }
    }),
  );
  r.secs = (performance.now() - t0) / 1000;
  return r;
}

/** Open loop: `rate` updates/s for `ms`; above MAX_IN_FLIGHT waiting updates, new ones are shed (counted). */
async function openLoop(rate: number, ms: number): Promise<PhaseResult> {
  const r: PhaseResult = { rate, offered: 0, answered: [], lost: 0, shed: 0, failed: 0, secs: 0 };
  const pending: Promise<void>[] = [];
  let inFlight = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    while (r.offered < due) {
      r.offered++;
      if (inFlight >= MAX_IN_FLIGHT) {
        r.shed++;
        continue;
      }
      inFlight++;
      pending.push(
        one()
          .then((lat) => void (lat === null ? r.lost++ : r.answered.push(lat)))
          .catch(() => void r.failed++)
          .finally(() => void inFlight--),
      );
    }
    await new Promise((res) => setTimeout(res, 1));
  }
  await Promise.all(pending);
  r.secs = (performance.now() - t0) / 1000;
  return r;
}

async function measured(phase: string, run: () => Promise<PhaseResult>): Promise<PhaseResult> {
  send({ phase, start: true });
  const result = await run();
  send({ phase, result });
  return result;
}

const closed = await measured('closed', () => closedLoop(closedMs));
const sustained = closed.answered.length / closed.secs;
await measured('open', () => openLoop(rate, openMs));
await measured('open-half', () => openLoop(Math.max(10, Math.floor(sustained / 2)), openMs));
send({ done: true });
await fake.close();
process.exit(0);
