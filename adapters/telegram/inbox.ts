import { BotError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { QueueWorker } from '../../src/jobs/queue-worker.ts';
import type { EnqueueResult, JobData, JobStore, WorkerOptions } from '../../src/jobs/queue.ports.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { claimedByInbox } from './dedup.ts';
import type { ShopContext } from './telegram.types.ts';

/** The queue webhook updates wait in. */
export const UPDATES_QUEUE = 'telegram-updates';

/**
 * Updates handled at once (different chats; one chat's run in order). A
 * handler spends most of its time waiting for the Bot API's answers, tens of
 * milliseconds each from a real server: with the queue's default of 8, a bot
 * whose API calls took 50 ms topped out near 120 updates/s (measured). 64
 * slots at ~100 ms per update serve ~600/s; database work is serialised by
 * the database either way.
 */
export const INBOX_CONCURRENCY = 64;

/** A Telegram update as received: a JSON object with a non-negative integer update_id. */
export type RawUpdate = JobData & { update_id: number };

export function isRawUpdate(body: unknown): body is RawUpdate {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const id = (body as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
}

const idOf = (v: unknown): string | null => {
  if (typeof v !== 'object' || v === null || !('id' in v)) return null;
  return typeof v.id === 'number' || typeof v.id === 'string' ? String(v.id) : null;
};

/**
 * The chat an update belongs to, as a queue group: its chat, else the chat of
 * the message under a button, else its sender (inline queries, buttons under
 * inline messages, pre-checkout queries). A private chat's id is its user's.
 */
export function groupOf(update: RawUpdate): string | null {
  for (const [kind, v] of Object.entries(update)) {
    if (kind === 'update_id' || typeof v !== 'object' || v === null || Array.isArray(v)) continue;
    const id = idOf(v.chat) ?? idOf((v.message as { chat?: unknown } | undefined)?.chat) ?? idOf(v.from) ?? idOf(v.user);
    if (id) return `chat:${id}`;
  }
  return null;
}

/**
 * The durable inbox of webhook mode: accept() stores an update in the job
 * queue (key update_id, one group per chat) so the request can be answered at
 * once; the worker feeds it to bot.handleUpdate — one update per chat at a
 * time in arrival order, chats concurrently, retried with back-off when the
 * handling failed before any effect. Updates left by a stop or a crash are
 * handled after a restart. The job is also the update's exactly-once claim:
 * enqueueing a replayed update_id adds nothing, and a job whose worker died
 * mid-run (its lease lapsed) is not run again.
 */
export class TelegramInbox {
  private readonly worker: QueueWorker;

  constructor(
    private readonly store: JobStore,
    bot: Bot<ShopContext>,
    private readonly log: Logger,
    opts: Partial<WorkerOptions> = {},
  ) {
    this.worker = new QueueWorker(store, UPDATES_QUEUE, async (job) => {
      if (job.resumed) {
        // Its worker died mid-update: a reply may have gone out, so it is not handled twice.
        log.warn({ update: job.key, attempts: job.attempts }, 'telegram update interrupted mid-handling; not handled again');
        return;
      }
      // The payload is the update exactly as Telegram sent it (checked by isRawUpdate on the way in).
      const update = job.payload as unknown as Update;
      // This job is the update's durable claim: unique per update_id, and a lapsed lease is never re-run (above).
      claimedByInbox.add(update);
      try {
        await bot.handleUpdate(update);
      } catch (err) {
        if (!(err instanceof BotError)) throw err;
        const failed = err as BotError<ShopContext>;
        await bot.errorHandler(failed);
        // Failed before any effect: the job is given back and retried. After one, it is done.
        if (!failed.ctx.turn?.committed) throw failed.error;
      }
    }, log, { concurrency: INBOX_CONCURRENCY, ...opts });
  }

  /**
   * Stores the update (a replay of a stored one changes nothing). When the
   * worker has a free slot and nothing earlier from this chat is waiting, the
   * same commit claims it and it starts at once.
   */
  async accept(update: RawUpdate): Promise<{ created: boolean }> {
    const group = groupOf(update);
    const claim = this.worker.reserve();
    let result: EnqueueResult;
    try {
      result = await this.store.enqueue(UPDATES_QUEUE, update, { key: String(update.update_id), group, claim });
    } catch (err) {
      this.worker.adopt(claim, null);
      throw err;
    }
    this.worker.adopt(claim, { ...result, group });
    if (!result.created) this.log.debug({ update: update.update_id }, 'telegram update already queued');
    return { created: result.created };
  }

  start(): void {
    this.worker.start();
  }

  /** Stops taking updates from the queue and waits for those in progress. */
  stop(): Promise<void> {
    return this.worker.stop();
  }
}
