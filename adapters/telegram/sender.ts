import { autoRetry } from '@grammyjs/auto-retry';
import type { Api, Transformer } from 'grammy';
import type { Logger } from '../../src/shared/logger.ts';
import type { Pacing } from '../../src/shared/pacing.ts';
import { Pacer, telegramPacing, type PacingOptions } from './pacing.ts';

export interface SenderOptions {
  /** Retries of one call after a 429 (honouring retry_after) or a 5xx; bounded. */
  maxRetryAttempts: number;
  /** A retry_after longer than this fails the call instead of waiting. */
  maxDelaySeconds: number;
  /** false turns pacing off (tests, benchmarks against a local server). */
  pacing: PacingOptions | false;
}

/** Methods that put a message into a chat: these are paced. */
const PACED = /^(send|copy|forward|edit)/;

/** chat_id of a call's payload, when it has one. */
export function chatIdOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null || !('chat_id' in payload)) return null;
  const id = payload.chat_id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one rate-aware sender every outbound call goes through (bot.api and,
 * copied by grammY, each update's ctx.api): pacing (`pacing`, shared through
 * Redis when REDIS_URL is set; else this process's), then auto-retry on 429
 * with retry_after and on 5xx (bounded), then blocked-bot detection — a 403
 * to a user's private chat marks that identity unreachable and is not retried.
 */
export function installSender(api: Api, opts: SenderOptions, onBlocked: (userId: string) => Promise<void>, log: Logger, pacing?: Pacing | null): void {
  const pacer = pacing ?? (opts.pacing ? new Pacer(opts.pacing) : null);
  if (pacer) {
    // Innermost: every attempt (retries too) waits for its slot; a 429 pauses every sender sharing the pacer.
    const pace: Transformer = async (prev, method, payload, signal) => {
      const chat = PACED.test(method) ? chatIdOf(payload) : null;
      if (chat) {
        const wait = await pacer.reserve(chat);
        if (wait > 0) await sleep(wait);
      }
      const res = await prev(method, payload, signal);
      const retryAfter = !res.ok && res.error_code === 429 ? res.parameters?.retry_after : undefined;
      if (retryAfter) {
        log.warn({ method, chat, retryAfter }, 'telegram asked to slow down; pausing all sends');
        await pacer.pause(retryAfter * 1000);
      }
      return res;
    };
    api.config.use(pace);
  }
  api.config.use(autoRetry({ maxRetryAttempts: opts.maxRetryAttempts, maxDelaySeconds: opts.maxDelaySeconds, rethrowHttpErrors: true }));
  const blocked: Transformer = async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (!res.ok && res.error_code === 403) {
      const chat = chatIdOf(payload);
      // Positive chat ids are users' private chats; groups are negative.
      if (chat && /^\d+$/.test(chat)) {
        log.info({ method, chat, reason: res.description }, 'telegram user unreachable');
        await onBlocked(chat).catch((err: unknown) => log.error({ err, chat }, 'could not mark telegram user unreachable'));
      }
    }
    return res;
  };
  api.config.use(blocked);
}

export const productionSender: SenderOptions = {
  maxRetryAttempts: 3,
  maxDelaySeconds: 60,
  pacing: telegramPacing,
};
