/**
 * The bot's HTTP client for Bot API calls: grammY's default on Node
 * (node-fetch over node:http) against the one the bot uses
 * (adapters/telegram/api-fetch.ts, undici). Each sends the same sendMessage
 * with an inline keyboard through grammY's own Api, 16 calls in flight, to
 * the fake Bot API running in a child process (so its CPU is not counted),
 * and prints calls/s and this process's CPU time per call. Runs alternate
 * (default, ours, default, ours …) because this machine's speed drifts.
 *
 *   npx tsx bench/telegram-client.bench.ts        (BENCH_CALLS per run, default 20000; BENCH_ROUNDS, default 3)
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Api } from 'grammy';
import { botApiFetch } from '../adapters/telegram/api-fetch.ts';
import { TOKEN } from './lib/telegram-bench-spec.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = 16;

const child = fork(fileURLToPath(new URL('./lib/bot-api-stub.ts', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const apiRoot = await new Promise<string>((resolve, reject) => {
  child.once('error', reject);
  child.once('message', (m) => resolve((m as { apiRoot: string }).apiRoot));
});

async function run(api: Api, calls: number): Promise<{ perSec: number; cpuUs: number }> {
  let left = calls;
  const keyboard = { inline_keyboard: [[{ text: '−', callback_data: 'q:v1:-1' }, { text: '+', callback_data: 'q:v1:1' }], [{ text: 'Checkout', callback_data: 'co' }]] };
  const worker = async () => {
    while (left-- > 0) await api.sendMessage(42, 'Your cart: 2 × Mug (M) — $24.00', { parse_mode: 'HTML', reply_markup: keyboard });
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { perSec: (calls / ms) * 1000, cpuUs: (cpu.user + cpu.system) / calls };
}

const ours = botApiFetch();
const clients = { 'grammY default (node-fetch)': new Api(TOKEN, { apiRoot }), 'chatshop (undici)': new Api(TOKEN, { apiRoot, fetch: ours.fetch }) };
// Warm-up: JIT and connections for both.
for (const api of Object.values(clients)) await run(api, 2_000);
const results = new Map<string, { perSec: number; cpuUs: number }[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, api] of Object.entries(clients)) results.set(name, [...(results.get(name) ?? []), await run(api, CALLS)]);
}
for (const [name, rs] of results) {
  const f = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
  process.stdout.write(`${name}: ${f(rs.map((r) => r.perSec))} calls/s, ${f(rs.map((r) => r.cpuUs))} µs CPU per call (${IN_FLIGHT} in flight, ${CALLS} calls a run)\n`);
}
await ours.close();
child.kill();
process.exit(0);
