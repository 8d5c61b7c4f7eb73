/** What the Telegram benchmark's two processes share (see telegram.bench.ts and telegram-driver.ts). */

export const TOKEN = '4242:AAFakeTokenForTheBenchmarkOnly_0123456';
export const SECRET = 'bench-secret';
/** Updates in flight in the closed loop. */
export const CLOSED_CONCURRENCY = 16;
/** Open loop: updates waiting for their reply beyond this are shed, not queued without bound. */
export const MAX_IN_FLIGHT = 128;

export interface PhaseResult {
  /** Offered updates/s (null: closed loop). */
  rate: number | null;
  offered: number;
  /** Latency of each answered update, ms: POST sent → first reply call into that chat at the fake. */
  answered: number[];
  /** No reply within 10 s. */
  lost: number;
  shed: number;
  failed: number;
  secs: number;
}

export type DriverMessage = { apiRoot: string } | { phase: string; start: true } | { phase: string; result: PhaseResult } | { done: true };
