import type { Redis } from 'ioredis';
import type { MarketingSender } from '../../marketing/broadcast.ports.ts';
import type { BroadcastMessage, SendOutcome } from '../../marketing/broadcast.types.ts';
import type { Logger } from '../../shared/logger.ts';

/**
 * A send on a channel may start now, on Redis's clock, when it keeps the
 * channel's pace over every instance. KEYS[1] lists the latest starts (at
 * most ARGV[1], in order), KEYS[2] holds the end of a 429 pause, KEYS[3]
 * when the next send is due: one interval (ARGV[4] ms) after the previous
 * one's due time, so a steady stream goes out evenly at the rate. Behind
 * schedule (nothing was ready to send), sends catch up faster, never closer
 * than ARGV[3] ms and never more than ARGV[1] in any ARGV[2] ms. ARGV[5],
 * when not empty, is a start this caller booked but did not use (its answer
 * came too late): it is taken back first, slot and due time, so a late
 * answer costs no capacity. Returns {0, start} when the start is booked,
 * else {ms until one may be}. Keys share one hash tag (Redis Cluster).
 */
const BOOK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[1])
local win = tonumber(ARGV[2])
local interval = tonumber(ARGV[4])
if ARGV[5] ~= '' and redis.call('LREM', KEYS[1], -1, ARGV[5]) > 0 then
  local d = tonumber(redis.call('GET', KEYS[3]) or '0')
  if d > 0 then redis.call('SET', KEYS[3], string.format('%.3f', d - interval), 'PX', win + 2000) end
end
local at = now
local pause = tonumber(redis.call('GET', KEYS[2]) or '0')
if at < pause then at = pause end
local due = tonumber(redis.call('GET', KEYS[3]) or '0')
if at < due then at = due end
local last = tonumber(redis.call('LINDEX', KEYS[1], -1) or '0')
if at < last + tonumber(ARGV[3]) then at = last + tonumber(ARGV[3]) end
if redis.call('LLEN', KEYS[1]) >= max then
  local oldest = tonumber(redis.call('LINDEX', KEYS[1], -max))
  if at < oldest + win then at = oldest + win end
end
if at > now then return {math.ceil(at - now)} end
redis.call('RPUSH', KEYS[1], tostring(now))
redis.call('LTRIM', KEYS[1], -max, -1)
redis.call('PEXPIRE', KEYS[1], win + 1000)
if due < now - 1000 then due = now - 1000 end
redis.call('SET', KEYS[3], string.format('%.3f', due + interval), 'PX', win + 2000)
return {0, now}
`;

/** KEYS: pause-until. ARGV: ms. Extends (never shortens) the pause. */
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], tostring(untilMs), 'PX', tonumber(ARGV[1]) + 1000) end
return 1
`;

/** Catching up, starts are at least this share of the interval apart (as in the embedded runner; the window still holds). */
const CATCH_UP_SPACING = 0.5;

export interface SendWindowOptions {
  /** Key prefix (tests use one each). */
  prefix?: string | undefined;
  /**
   * Added to the one-second window (ms): a send starts a moment after Redis
   * books it, and that moment varies, so the window is kept a little longer
   * than the platform's to hold in any second as it sees it (default 10: a
   * steady stream then runs at 28 per 1010 ms for a rate of 28/s).
   */
  guardMs?: number | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * One send budget per bot shared by every instance through Redis: a send
 * books its start right before it goes out (after the consent gate), and a
 * 429 pauses every instance's sends for retry_after. Starts are recorded
 * when they happen, not planned ahead, so a busy or stalled process never
 * fires a backlog of sends at once; and in each process one send at a time
 * per channel asks Redis (the others queue behind it here), so waiting jobs
 * do not poll Redis together. When Redis does not answer (three tries), the
 * send fails as a transient error and is retried later.
 */
export class SharedSendWindow {
  private readonly prefix: string;
  private readonly guardMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Per channel, the last send waiting for its turn to book here. */
  private readonly turns = new Map<string, Promise<void>>();
  private warned = false;
  /** Starts booked, answers "not yet", and bookings given up as answered too late (benchmarks print them). */
  readonly stats = { booked: 0, waits: 0, late: 0 };

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    opts: SendWindowOptions = {},
  ) {
    this.prefix = opts.prefix ?? 'chatshop:sends';
    this.guardMs = opts.guardMs ?? 10;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private keys(channel: string) {
    const tag = `{${this.prefix}:${channel}}`;
    return { starts: `${tag}:starts`, pause: `${tag}:pause`, due: `${tag}:due` };
  }

  /** Waits until a send on `channel` may start, and books it (sends of this process book one after another, in order). */
  async book(channel: string, perSecond: number): Promise<void> {
    const before = this.turns.get(channel) ?? Promise.resolve();
    let done = () => {};
    const turn = new Promise<void>((r) => (done = r));
    const mine = before.then(() => turn);
    this.turns.set(channel, mine);
    await before;
    try {
      await this.take(channel, perSecond);
    } finally {
      done();
      if (this.turns.get(channel) === mine) this.turns.delete(channel);
    }
  }

  private async take(channel: string, perSecond: number): Promise<void> {
    const k = this.keys(channel);
    const max = Math.max(1, Math.floor(perSecond));
    const windowMs = Math.ceil((max / perSecond) * 1000) + this.guardMs;
    const interval = (1000 / perSecond).toFixed(3);
    const spacing = ((CATCH_UP_SPACING * 1000) / perSecond).toFixed(3);
    let failures = 0;
    /** A start booked here whose answer came too late to use: the next ask gives it back. */
    let unused = '';
    for (;;) {
      let wait: number;
      let start: number | undefined;
      const asked = performance.now();
      try {
        [wait, start] = (await this.redis.eval(BOOK, 3, k.starts, k.pause, k.due, max, windowMs, spacing, interval, unused)) as [number, number?];
        unused = '';
      } catch (err) {
        // No booking, no send: the delivery is tried again later (a send past the budget would break the limit for every instance).
        if (++failures >= 3) throw new Error(`shared send budget unavailable: ${err instanceof Error ? err.message : String(err)}`);
        this.unavailable(err);
        await this.sleep(200);
        continue;
      }
      if (wait <= 0) {
        this.stats.booked++;
        // An answer that took longer than the guard (a busy event loop) would start the send too long after its booked start:
        // that start is given back with the next ask, which books a new one (before, the lost slot slowed every instance down).
        if (performance.now() - asked <= this.guardMs) return;
        this.stats.late++;
        unused = String(start);
        continue;
      }
      this.stats.waits++;
      await this.sleep(wait);
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
