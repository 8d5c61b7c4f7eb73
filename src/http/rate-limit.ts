import { AppError } from '../shared/errors.ts';

/** A fixed-window request counter per key; in this process, or shared by instances (Redis). */
export interface RateLimiter {
  /** Counts one request; null when allowed, else the seconds until the window ends. */
  hit(key: string, now: number): Promise<number | null>;
  /** Whether `key` has a window that has not ended. */
  knows(key: string, now: number): Promise<boolean>;
}

/** Makes a limiter of `limit` requests per `windowMs` for one purpose (`name` keeps purposes apart when shared). */
export type RateLimiterFactory = (name: string, limit: number, windowMs: number) => RateLimiter;

/** In this process only: each instance counts on its own (no REDIS_URL). */
export const localRateLimiters: RateLimiterFactory = (_name, limit, windowMs) => {
  const w = new WindowLimiter(limit, windowMs);
  return { hit: (key, now) => Promise.resolve(w.hit(key, now)), knows: (key, now) => Promise.resolve(w.knows(key, now)) };
};

interface Window {
  start: number;
  count: number;
}

/**
 * Fixed-window request counter per key (a chat session, a client address),
 * in this process. Memory is bounded: past `maxKeys`, windows that ended are
 * dropped, and if none has, the oldest keys go first.
 */
export class WindowLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one request; null when allowed, else the seconds until the window ends. */
  hit(key: string, now: number): number | null {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (!w) this.makeRoom(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.limit) return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    w.count++;
    return null;
  }

  /** Whether `key` has a window that has not ended. */
  knows(key: string, now: number): boolean {
    const w = this.windows.get(key);
    return w !== undefined && now - w.start < this.windowMs;
  }

  get size(): number {
    return this.windows.size;
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
    for (const k of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(k);
    }
  }
}

/** A 429 that says when to come back (the route sets Retry-After from details.retryAfterSeconds). */
export function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', `Too many messages; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
