import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MarketingSender } from '../../marketing/broadcast.ports.ts';
import type { BroadcastMessage, SendOutcome } from '../../marketing/broadcast.types.ts';
import type { Logger } from '../../shared/logger.ts';

/**
 * A sliding-window log on Redis's clock: at most ARGV[1] sends start in any
 * window of ARGV[2] ms, counted over every instance, and none closer than
 * ARGV[4] ms to the last (no bursts for the bot's own pacer to spill over). A 429 pause (KEYS[2])
 * holds every booking until it ends. Returns the ms to wait (0: booked).
 * Keys share one hash tag (Redis Cluster).
 */
const BOOK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pause = tonumber(redis.call('GET', KEYS[2]) or '0')
if pause > now then return pause - now end
local win = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - win)
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if newest[2] and now - tonumber(newest[2]) < tonumber(ARGV[4]) then return tonumber(newest[2]) + tonumber(ARGV[4]) - now end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], win + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + win - now)
`;

/** KEYS: pause-until. ARGV: ms. Extends (never shortens) the pause. */
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], tostring(untilMs), 'PX', tonumber(ARGV[1]) + 1000) end
return 1
`;

/** Sends are at least this share of the interval apart. */
const SPACING = 0.9;

export interface SendWindowOptions {
  /** Key prefix (tests use one each). */
  prefix?: string | undefined;
  /**
   * Added to the one-second window: a send starts a moment after Redis books
   * it, and that moment varies between instances, so the window is kept a
   * little longer than the platform's to hold in any second as it sees it.
   */
  guardMs?: number | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * One send budget per bot shared by every instance through Redis: a send
 * books its slot right before it goes out (after the consent gate), and a 429
 * pauses every instance's sends for retry_after. When Redis does not answer
 * (three tries), the send fails as a transient error and is retried later.
 */
export class SharedSendWindow {
  private readonly prefix: string;
  private readonly guardMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private warned = false;

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    opts: SendWindowOptions = {},
  ) {
    this.prefix = opts.prefix ?? 'chatshop:sends';
    this.guardMs = opts.guardMs ?? 25;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private keys(channel: string) {
    const tag = `{${this.prefix}:${channel}}`;
    return { log: `${tag}:log`, pause: `${tag}:pause` };
  }

  /**
   * Waits until a send on `channel` may start, and books it. A booking whose
   * answer took longer than the guard to reach us (a stalled event loop, a
   * slow network) is not used: the send would start too long after its slot,
   * so another one is booked (the lost slot only slows sends down).
   */
  async book(channel: string, perSecond: number): Promise<void> {
    const k = this.keys(channel);
    const max = Math.max(1, Math.floor(perSecond));
    const windowMs = Math.ceil((max / perSecond) * 1000) + this.guardMs;
    let failures = 0;
    for (;;) {
      let wait: number;
      const asked = performance.now();
      try {
        wait = Number(await this.redis.eval(BOOK, 2, k.log, k.pause, max, windowMs, randomUUID(), Math.floor((SPACING * 1000) / perSecond)));
      } catch (err) {
        // No booking, no send: the delivery is tried again later (a send past the budget would break the limit for every instance).
        if (++failures >= 3) throw new Error(`shared send budget unavailable: ${err instanceof Error ? err.message : String(err)}`);
        this.unavailable(err);
        await this.sleep(200);
        continue;
      }
      if (wait <= 0 && performance.now() - asked <= this.guardMs) return;
      if (wait > 0) await this.sleep(wait);
    }
  }

  /** Every instance's sends on `channel` wait `ms` (a 429's retry_after). */
  async pause(channel: string, ms: number): Promise<void> {
    await this.redis.eval(PAUSE, 1, this.keys(channel).pause, Math.max(0, Math.ceil(ms))).catch((err: unknown) => this.unavailable(err));
  }

  /** The sender with its sends booked in this window (and its 429s pausing everyone). */
  wrap(sender: MarketingSender): MarketingSender {
    return {
      channel: sender.channel,
      perSecond: sender.perSecond,
      send: async (address: string, message: BroadcastMessage): Promise<SendOutcome> => {
        await this.book(sender.channel, sender.perSecond);
        const outcome = await sender.send(address, message);
        if (outcome.kind === 'retry') await this.pause(sender.channel, Math.max(1, outcome.afterSeconds) * 1000);
        return outcome;
      },
    };
  }

  private unavailable(err: unknown) {
    if (this.warned) return;
    this.warned = true;
    this.log.warn({ err: { message: err instanceof Error ? err.message : String(err) } }, 'redis unreachable; marketing sends wait for it');
  }
}
