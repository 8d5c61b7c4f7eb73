import type { Logger } from '../../src/shared/logger.ts';
import type { Pacing, PacingOptions, SharedPacingFactory } from '../../src/shared/pacing.ts';

export type { PacingOptions } from '../../src/shared/pacing.ts';

/**
 * Generic cell rate algorithm: `rate` per second with bursts of `burst`.
 * reserve() books the next slot and says how long to wait for it.
 */
export class Gcra {
  private tat = 0;
  private readonly interval: number;

  constructor(
    rate: number,
    private readonly burst: number,
  ) {
    this.interval = 1000 / rate;
  }

  reserve(now: number): number {
    const tat = Math.max(this.tat, now);
    const wait = Math.max(0, tat - (this.burst - 1) * this.interval - now);
    this.tat = tat + this.interval;
    return wait;
  }

  idleAt(now: number): boolean {
    return this.tat <= now;
  }

  /** The bucket is empty at `at`: sends from then on are one interval apart, no burst. */
  emptyAt(at: number): void {
    this.tat = Math.max(this.tat, at + (this.burst - 1) * this.interval);
  }
}

export const telegramPacing: PacingOptions = { globalPerSecond: 30, perChatPerSecond: 1, burst: 5 };

/** Global and per-chat pacing of outbound messages, in this process. */
export class Pacer implements Pacing {
  private readonly global: Gcra;
  private readonly chats = new Map<string, Gcra>();
  private pausedUntil = 0;

  constructor(private readonly opts: PacingOptions) {
    this.global = new Gcra(opts.globalPerSecond, Math.max(opts.burst, Math.ceil(opts.globalPerSecond)));
  }

  /** Milliseconds to wait before sending into `chat`; the slot is booked. */
  reserveNow(chat: string, real = Date.now()): number {
    const now = Math.max(real, this.pausedUntil);
    if (this.chats.size > 10_000) for (const [k, g] of this.chats) if (g.idleAt(now)) this.chats.delete(k);
    let c = this.chats.get(chat);
    if (!c) this.chats.set(chat, (c = new Gcra(this.opts.perChatPerSecond, this.opts.burst)));
    return Math.max(this.global.reserve(now), c.reserve(now)) + (now - real);
  }

  reserve(chat: string): Promise<number> {
    return Promise.resolve(this.reserveNow(chat));
  }

  /**
   * Holds every send until the pause ends, and then lets them go at the
   * pace, not in a burst: the sends held back would otherwise all go at the
   * end of the pause, over the limit that caused it, and earn another 429.
   */
  pause(ms: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    this.global.emptyAt(this.pausedUntil);
    return Promise.resolve();
  }
}

const WARN_EVERY_MS = 30_000;

/**
 * The shared (Redis) pacer, falling back to this process's pacer while the
 * shared one fails: messages keep going at this instance's own pace rather
 * than stalling or going out unpaced. Warned at most every 30 s.
 */
export class FallbackPacing implements Pacing {
  private warnedAt = 0;

  constructor(
    private readonly shared: Pacing,
    private readonly local: Pacing,
    private readonly log: Logger,
  ) {}

  async reserve(chat: string): Promise<number> {
    try {
      return await this.shared.reserve(chat);
    } catch (err) {
      this.warn(err);
      return this.local.reserve(chat);
    }
  }

  async pause(ms: number): Promise<void> {
    await this.local.pause(ms);
    await this.shared.pause(ms).catch((err: unknown) => this.warn(err));
  }

  private warn(err: unknown) {
    if (Date.now() - this.warnedAt < WARN_EVERY_MS) return;
    this.warnedAt = Date.now();
    this.log.warn({ err: { message: err instanceof Error ? err.message : String(err) } }, 'shared pacing unavailable; pacing in this process only');
  }
}

/** Shared through Redis when a factory is given (REDIS_URL), else in this process. */
export function pacingFor(opts: PacingOptions, scope: string, shared: SharedPacingFactory | null | undefined, log: Logger): Pacing {
  const local = new Pacer(opts);
  return shared ? new FallbackPacing(shared.create(scope, opts), local, log) : local;
}
