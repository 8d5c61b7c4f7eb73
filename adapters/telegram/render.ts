import { GrammyError, type Api } from 'grammy';
import type { Logger } from '../../src/shared/logger.ts';
import type { Outgoing } from './plan.ts';

/** The message a tapped button sits under. */
export interface EditTarget {
  chatId: number;
  messageId: number;
  isPhoto: boolean;
}

const common = { parse_mode: 'HTML' as const };

const isBlocked = (err: unknown) => err instanceof GrammyError && err.error_code === 403;
const notModified = (err: unknown) => err instanceof GrammyError && /message is not modified/i.test(err.description);
const badPhoto = (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /photo|file|url|image/i.test(err.description);

async function sendOne(api: Api, chatId: number, m: Outgoing, log: Logger): Promise<void> {
  if (m.kind === 'photo' && m.photoUrl) {
    try {
      await api.sendPhoto(chatId, m.photoUrl, { ...common, caption: m.caption, reply_markup: m.keyboard });
      return;
    } catch (err) {
      // Telegram could not fetch the image: the card still arrives, as text.
      if (!badPhoto(err)) throw err;
      log.warn({ err, url: m.photoUrl }, 'telegram refused a product photo; sending text');
      if (!m.html) return;
    }
  }
  await api.sendMessage(chatId, m.html, { ...common, reply_markup: m.keyboard, link_preview_options: { is_disabled: true } });
}

/**
 * Sends the messages in order. A user who blocked the bot (403) gets nothing
 * more: the sender has marked them unreachable, and the turn ends quietly.
 */
export async function sendAll(api: Api, chatId: number, messages: readonly Outgoing[], log: Logger): Promise<void> {
  for (const m of messages) {
    try {
      await sendOne(api, chatId, m, log);
    } catch (err) {
      if (isBlocked(err)) return;
      throw err;
    }
  }
}

/**
 * Edits the tapped message into `m` (text into text, a card into a photo's
 * caption). False when it cannot be edited, so the caller sends instead.
 */
export async function editInto(api: Api, target: EditTarget, m: Outgoing, log: Logger): Promise<boolean> {
  if (m.kind === 'photo') return false;
  try {
    if (target.isPhoto) {
      if (m.source !== 'product') return false;
      await api.editMessageCaption(target.chatId, target.messageId, { ...common, caption: m.caption, reply_markup: m.keyboard });
    } else {
      await api.editMessageText(target.chatId, target.messageId, m.html, { ...common, reply_markup: m.keyboard, link_preview_options: { is_disabled: true } });
    }
    return true;
  } catch (err) {
    if (notModified(err)) return true;
    if (isBlocked(err)) return true;
    log.warn({ err }, 'telegram edit failed; sending a new message');
    return false;
  }
}
