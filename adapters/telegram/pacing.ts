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
}

export interface PacingOptions {
  /** Messages per second over all chats (Telegram: about 30). */
  globalPerSecond: number;
  /** Messages per second into one chat (Telegram: about 1, with short bursts). */
  perChatPerSecond: number;
  /** How many messages may go at once before the pace applies. */
  burst: number;
}

export const telegramPacing: PacingOptions = { globalPerSecond: 30, perChatPerSecond: 1, burst: 5 };

/** Global and per-chat pacing of outbound messages, in this process. */
export class Pacer {
  private readonly global: Gcra;
  private readonly chats = new Map<string, Gcra>();

  constructor(private readonly opts: PacingOptions) {
    this.global = new Gcra(opts.globalPerSecond, Math.max(opts.burst, Math.ceil(opts.globalPerSecond)));
  }

  /** Milliseconds to wait before sending into `chat`; the slot is booked. */
  reserve(chat: string, now = Date.now()): number {
    if (this.chats.size > 10_000) for (const [k, g] of this.chats) if (g.idleAt(now)) this.chats.delete(k);
    let c = this.chats.get(chat);
    if (!c) this.chats.set(chat, (c = new Gcra(this.opts.perChatPerSecond, this.opts.burst)));
    return Math.max(this.global.reserve(now), c.reserve(now));
  }
}
