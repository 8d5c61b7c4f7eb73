/**
 * Discord interactions benchmark: signed interactions POSTed to
 * /webhooks/discord (real HTTP on 127.0.0.1, Ed25519 verified, de-duplicated
 * in the database) on the embedded SQLite database with the demo store; the
 * follow-ups go to a fake Discord REST API, also on 127.0.0.1. Everything
 * runs in this one process on this machine.
 *
 *   npm run bench:discord
 *
 * A mix of slash commands (/search, /cart), buttons (product view, forged
 * ids) and a form opener; SLOW_SHARE of the conversation turns are held up
 * 2–5 s (a slow downstream step, e.g. a language model). Open loop at each
 * RATE for RUN_MS. Measured: acknowledgement latency (POST → HTTP answer),
 * p50/p99 (issue target: p99 <= 250 ms, 100% acknowledged under 3 s), and
 * that every deferred interaction's follow-up (edit of the original answer)
 * reaches the fake Discord.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { seedDemoStore } from '../src/catalog/demo-store.ts';
import { encodeAction } from '../src/conversation/actions.ts';
import { FakeDiscord, type DiscordCall } from '../test/fakes/discord-api.ts';
import { APP_ID, buttonClick, signedHeaders, slash, testKeyPair } from '../test/fakes/discord-interactions.ts';
import { createTestApp } from '../test/helpers/test-app.ts';

const RATES = [25, 50, 100];
const RUN_MS = 10_000;
const SLOW_SHARE = 0.1;
const USERS = 400;
const FOLLOW_UP_WAIT_MS = 20_000;
const QUERIES = ['hoodie', 'mug', 'red hoodie', 'coffee', 'cheapest mug', 'kettle'];

const keys = testKeyPair();
const fake = await new FakeDiscord().start();
const t = await createTestApp('sqlite', {
  env: { DISCORD_TOKEN: 'bench-bot-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_PUBLIC_KEY: keys.publicHex, DISCORD_API_ROOT: fake.url },
});
await seedDemoStore(t.container.services.catalog);
const store = await t.container.services.catalog.store('demo');
const mug = await t.container.services.catalog.product(store.id, 'classic-mug');

// The slow downstream step: every tenth turn (by a fixed pattern) waits 2–5 s before the engine runs it.
const engine = t.container.services.conversation;
const realHandle = engine.handle.bind(engine);
let turns = 0;
engine.handle = async (input) => {
  const k = turns++;
  if ((k * 7919) % 100 < SLOW_SHARE * 100) await new Promise((r) => setTimeout(r, 2000 + ((k * 104729) % 3000)));
  return realHandle(input);
};

const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/discord`;

/** Follow-ups seen per interaction token. */
const followUps = new Map<string, number>();
const tokenOf = (c: DiscordCall) => new RegExp(`^/webhooks/${APP_ID}/([^/]+)`).exec(c.path)?.[1];
setInterval(() => {
  for (const c of fake.calls.splice(0)) {
    const token = tokenOf(c);
    if (token) followUps.set(token, performance.now());
  }
}, 20).unref();

let n = 0;
function interaction(): { body: object; token: string } {
  const i = n++;
  const user = String(300_000_000_000_000_000n + BigInt(i % USERS));
  const kind = i % 10;
  const body =
    kind < 4 ? slash(user, 'search', [{ type: 3, name: 'query', value: QUERIES[i % QUERIES.length] ?? 'mug' }])
    : kind < 6 ? slash(user, 'cart')
    : kind < 8 ? buttonClick(user, encodeAction({ op: 'product', id: mug.id }))
    : kind < 9 ? buttonClick(user, `forged-${i}`)
    : buttonClick(user, 'd:addr');
  return { body, token: body.token };
}

interface Sample { ackMs: number; type: number; token: string; sentAt: number }

async function one(): Promise<Sample> {
  const { body, token } = interaction();
  const raw = JSON.stringify(body);
  const headers = signedHeaders(keys.privateKey, raw);
  const sentAt = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  const answer = (await res.json()) as { type: number };
  if (res.status !== 200) throw new Error(`endpoint answered ${res.status}`);
  return { ackMs: performance.now() - sentAt, type: answer.type, token, sentAt };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};

async function openLoop(rate: number, ms: number) {
  const samples: Sample[] = [];
  let failed = 0;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  let offered = 0;
  while (performance.now() - t0 < ms) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    for (; offered < due; offered++) pending.push(one().then((s) => void samples.push(s), () => void failed++));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  // Every deferred answer (5: message, 6: update) must be completed through the interaction webhook.
  const deferred = samples.filter((s) => s.type === 5 || s.type === 6);
  const until = performance.now() + FOLLOW_UP_WAIT_MS;
  while (deferred.some((s) => !followUps.has(s.token)) && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  const delivered = deferred.filter((s) => followUps.has(s.token));
  const followUpMs = delivered.map((s) => (followUps.get(s.token) ?? 0) - s.sentAt);
  return { rate, offered, samples, failed, deferred: deferred.length, delivered: delivered.length, followUpMs };
}

await openLoop(20, 2000); // warm-up
const f = (x: number) => x.toFixed(1);
const lines: string[] = [];
for (const rate of RATES) {
  const r = await openLoop(rate, RUN_MS);
  const acks = r.samples.map((s) => s.ackMs);
  const p99 = pct(acks, 99);
  const under3s = acks.filter((a) => a < 3000).length;
  const pass = p99 <= 250 && under3s === r.offered && r.failed === 0 && r.delivered === r.deferred;
  lines.push(
    `${rate}/s for ${RUN_MS / 1000} s: ${r.offered} interactions, ack p50 ${f(pct(acks, 50))} ms, p99 ${f(p99)} ms, max ${f(Math.max(...acks))} ms, ` +
      `${under3s}/${r.offered} acknowledged under 3 s, ${r.failed} failed; deferred ${r.deferred}, follow-ups delivered ${r.delivered}/${r.deferred} ` +
      `(p50 ${f(pct(r.followUpMs, 50))} ms, max ${f(Math.max(0, ...r.followUpMs))} ms)  [target p99 <= 250 ms, 100% < 3 s, all follow-ups: ${pass ? 'PASS' : 'MISS'}]`,
  );
}
process.stdout.write(`Discord interactions (SQLite, ${Math.round(SLOW_SHARE * 100)}% of turns held 2-5 s):\n${lines.join('\n')}\n`);

server.close();
await t.close();
await fake.close();
process.exit(0);
