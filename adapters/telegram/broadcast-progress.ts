import { InlineKeyboard, type Api } from 'grammy';
import type { Logger } from '../../src/shared/logger.ts';

/** How often the seller's status message is brought up to date while a broadcast sends. */
export const PROGRESS_EVERY_MS = 2000;
/** A status message is followed at most this long (the seller can still press Refresh). */
const FOLLOW_FOR_MS = 6 * 3600_000;

interface Watched {
  chatId: number;
  messageId: number;
  last: string;
  until: number;
}

/**
 * Keeps the seller's broadcast status message current while it sends: the
 * progress bar and counts are edited in place when they change, and the
 * Refresh/Stop buttons go when it is done. In this process only; after a
 * restart the seller presses Refresh.
 */
export class BroadcastProgress {
  private readonly watched = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;

  constructor(
    private readonly api: Api,
    /** The status text of a broadcast, and whether it has finished; null when it is gone. */
    private readonly status: (broadcastId: string) => Promise<{ text: string; done: boolean } | null>,
    private readonly log: Logger,
    private readonly everyMs = PROGRESS_EVERY_MS,
  ) {}

  watch(broadcastId: string, chatId: number, messageId: number, shown: string): void {
    this.watched.set(broadcastId, { chatId, messageId, last: shown, until: Date.now() + FOLLOW_FOR_MS });
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.everyMs);
      this.timer.unref();
    }
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const [id, w] of this.watched) {
        const s = await this.status(id).catch((err: unknown) => {
          this.log.warn({ err, broadcast: id }, 'broadcast progress not read');
          return undefined;
        });
        if (s === undefined) continue;
        if (!s || Date.now() > w.until) {
          this.watched.delete(id);
          continue;
        }
        if (s.text !== w.last) {
          const keyboard = s.done ? undefined : new InlineKeyboard().text('Refresh', `M1:${id}:r`).text('Stop', `M1:${id}:c`);
          await this.api.editMessageText(w.chatId, w.messageId, s.text, keyboard ? { reply_markup: keyboard } : {}).catch((err: unknown) => this.log.warn({ err, broadcast: id }, 'broadcast progress not shown'));
          w.last = s.text;
        }
        if (s.done) this.watched.delete(id);
      }
    } finally {
      this.busy = false;
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    }
  }
}
