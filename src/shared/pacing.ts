/** Outbound pacing budgets, e.g. Telegram's ~30 messages/s overall and ~1/s into one chat. */
export interface PacingOptions {
  /** Messages per second over all chats (Telegram: about 30). */
  globalPerSecond: number;
  /** Messages per second into one chat (Telegram: about 1, with short bursts). */
  perChatPerSecond: number;
  /** How many messages may go at once before the pace applies. */
  burst: number;
}

/** Books send slots; one implementation per process, one shared through Redis. */
export interface Pacing {
  /** Books the next slot into `chat` (and the global budget); resolves with the milliseconds to wait for it. */
  reserve(chat: string): Promise<number>;
  /** Nobody sends for `ms` (Telegram answered 429 with retry_after). */
  pause(ms: number): Promise<void>;
}

/** Builds pacers whose budgets are shared by every instance using the same scope (REDIS_URL). */
export interface SharedPacingFactory {
  create(scope: string, opts: PacingOptions): Pacing;
}
