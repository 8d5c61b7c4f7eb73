import { GrammyError, HttpError, InlineKeyboard, type Api } from 'grammy';
import { encodeAction } from '../../src/conversation/actions.ts';
import type { Translator } from '../../src/conversation/i18n/i18n.ts';
import type { MarketingSender } from '../../src/marketing/broadcast.ports.ts';
import type { BroadcastMessage, SendOutcome } from '../../src/marketing/broadcast.types.ts';
import { offerAction } from '../../src/marketing/broadcast-format.ts';

/** Telegram allows about 30 messages a second per bot; marketing leaves 2/s for order updates (the bot's pacer shares the 30 among all sends). */
export const TELEGRAM_MARKETING_PER_SECOND = 28;
const CAPTION_MAX = 1024;
const CALLBACK_DATA_MAX = 64;

/**
 * Broadcast and automation messages in a shopper's private chat: the text
 * (as a photo caption when there is an image), the message's own action
 * rows (View cart, the stars of a review request), a Buy button for the
 * product, and always an Unsubscribe button. Goes through the bot's rate-aware sender, so
 * the global and per-chat pacing and 403 handling apply as to every send.
 */
export class TelegramMarketingSender implements MarketingSender {
  readonly channel = 'telegram' as const;

  constructor(
    private readonly api: Api,
    private readonly t: Translator,
    readonly perSecond = TELEGRAM_MARKETING_PER_SECOND,
  ) {}

  async send(address: string, m: BroadcastMessage): Promise<SendOutcome> {
    const kb = new InlineKeyboard();
    for (const row of m.actions ?? []) {
      // callback_data is at most 64 bytes: a button whose payload is longer is left out.
      const fitting = row.filter((b) => Buffer.byteLength(b.action) <= CALLBACK_DATA_MAX);
      if (!fitting.length) continue;
      for (const b of fitting) kb.text(b.label.slice(0, 60), b.action);
      kb.row();
    }
    if (m.product) kb.text(`${this.t.m.buy()} · ${m.product.title} · ${m.product.price}`.slice(0, 60), offerAction(m.product, m.broadcastId)).row();
    kb.text(this.t.m.unsubscribeButton(), encodeAction({ op: 'unsubscribe' }));
    try {
      const sent =
        m.imageUrl && m.text.length <= CAPTION_MAX
          ? await this.api.sendPhoto(address, m.imageUrl, { caption: m.text, reply_markup: kb })
          : await this.api.sendMessage(address, m.text, { reply_markup: kb, link_preview_options: { is_disabled: !m.imageUrl } });
      return { kind: 'sent', messageId: String(sent.message_id) };
    } catch (err) {
      return outcomeOf(err);
    }
  }
}

function outcomeOf(err: unknown): SendOutcome {
  if (err instanceof GrammyError) {
    if (err.error_code === 403) return { kind: 'blocked' };
    if (err.error_code === 400 && /chat not found|user is deactivated|PEER_ID_INVALID/i.test(err.description)) return { kind: 'blocked' };
    if (err.error_code === 429) return { kind: 'retry', afterSeconds: err.parameters.retry_after ?? 5 };
    return { kind: 'error', message: `${err.error_code} ${err.description}` };
  }
  if (err instanceof HttpError) return { kind: 'error', message: 'Telegram could not be reached' };
  throw err;
}
