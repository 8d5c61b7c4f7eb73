import type { MiddlewareFn, Transformer } from 'grammy';
import type { Logger } from '../../src/shared/logger.ts';
import type { ProcessedEvents } from '../../src/shared/processed-events.ts';
import type { ShopContext } from './telegram.types.ts';

/**
 * Updates the webhook inbox hands to the bot: their update_id is claimed
 * durably already, by the inbox job's unique key and its lease (see
 * TelegramInbox), so no second claim is written for them.
 */
export const claimedByInbox = new WeakSet<object>();

/**
 * Exactly-once handling: each update_id is claimed durably before anything
 * happens, so a redelivered update (concurrently, or after a restart) has no
 * second effect. When handling fails before any effect, the claim is given
 * back so that Telegram's redelivery (webhook mode answers 500) is handled.
 * In webhook mode the inbox's job is that claim (one write less per update).
 */
export function dedupe(events: ProcessedEvents, log: Logger): MiddlewareFn<ShopContext> {
  return async (ctx, next) => {
    const id = String(ctx.update.update_id);
    const viaInbox = claimedByInbox.has(ctx.update);
    if (!viaInbox && !(await events.claim('telegram', id))) {
      log.debug({ update: id }, 'telegram update already handled');
      return;
    }
    const turn = { committed: false };
    ctx.turn = turn;
    const track: Transformer = async (prev, method, payload, signal) => {
      const res = await prev(method, payload, signal);
      if (res.ok && /^(send|edit|copy|forward)/.test(method)) turn.committed = true;
      return res;
    };
    ctx.api.config.use(track);
    try {
      await next();
    } catch (err) {
      if (!turn.committed && !viaInbox) await events.release('telegram', id).catch((e: unknown) => log.error({ err: e, update: id }, 'could not release telegram update claim'));
      throw err;
    }
  };
}
