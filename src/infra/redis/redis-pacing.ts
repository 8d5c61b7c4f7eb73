import type { Redis } from 'ioredis';
import type { Pacing, PacingOptions, SharedPacingFactory } from '../../shared/pacing.ts';

/**
 * GCRA for the global and the per-chat budget in ONE atomic script, on
 * Redis's own clock (instances' clocks may differ). A pause (429 retry_after)
 * moves "now" to its end for every booking. Keys share one hash tag, so the
 * script also runs on Redis Cluster.
 *
 * KEYS: global TAT, chat TAT, pause-until.  ARGV: global interval ms, global
 * burst, chat interval ms, chat burst. Returns the ms to wait.
 */
const RESERVE = `
local t = redis.call('TIME')
local real = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local now = real
local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
if pause > now then now = pause end
local function book(key, interval, burst)
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then tat = now end
  local wait = tat - (burst - 1) * interval - now
  if wait < 0 then wait = 0 end
  local nt = tat + interval
  redis.call('SET', key, string.format('%.3f', nt), 'PX', math.ceil(nt - real) + 1000)
  return wait
end
local g = book(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
local c = book(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
return math.ceil(math.max(g, c) + now - real)
`;

/**
 * KEYS: pause-until, global TAT. ARGV: ms, global interval ms, global burst.
 * Extends (never shortens) the pause, and empties the global bucket at its
 * end: the sends held back go at the pace afterwards, not in a burst that
 * would exceed the limit again.
 */
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > cur then redis.call('SET', KEYS[1], tostring(untilMs), 'PX', tonumber(ARGV[1]) + 1000) end
local empty = math.floor((math.max(untilMs, cur) + (tonumber(ARGV[3]) - 1) * tonumber(ARGV[2])) * 1000) / 1000
local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
if empty > tat then redis.call('SET', KEYS[2], string.format('%.3f', empty), 'PX', math.ceil(empty - now) + 1000) end
return 1
`;

export class RedisPacing implements Pacing {
  private readonly keys: { global: string; pause: string; chat: (c: string) => string };
  private readonly globalInterval: number;
  private readonly globalBurst: number;
  private readonly chatInterval: number;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly opts: PacingOptions,
  ) {
    const tag = `{${prefix}}`;
    this.keys = { global: `${tag}:global`, pause: `${tag}:pause`, chat: (c) => `${tag}:chat:${c}` };
    this.globalInterval = 1000 / opts.globalPerSecond;
    this.globalBurst = Math.max(opts.burst, Math.ceil(opts.globalPerSecond));
    this.chatInterval = 1000 / opts.perChatPerSecond;
  }

  async reserve(chat: string): Promise<number> {
    const wait = await this.redis.eval(RESERVE, 3, this.keys.global, this.keys.chat(chat), this.keys.pause, this.globalInterval, this.globalBurst, this.chatInterval, this.opts.burst);
    return Number(wait);
  }

  async pause(ms: number): Promise<void> {
    await this.redis.eval(PAUSE, 2, this.keys.pause, this.keys.global, Math.max(0, Math.ceil(ms)), this.globalInterval, this.globalBurst);
  }
}

/** Pacers sharing their budgets through one Redis; `scope` names what is paced (e.g. one bot). */
export function redisPacing(redis: Redis, prefix = 'chatshop:pacing'): SharedPacingFactory {
  return { create: (scope, opts) => new RedisPacing(redis, `${prefix}:${scope}`, opts) };
}
