import { InlineKeyboard } from 'grammy';
import type { Button } from '../../src/conversation/conversation.types.ts';
import { MAX_CALLBACK_BYTES } from './html.ts';

/** A row holds two short buttons, or one long one. */
const LONG_LABEL = 22;

/** Telegram refuses URL buttons to hosts it cannot reach (localhost and friends). */
export function isPublicUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  return !/^(localhost|127\.|0\.0\.0\.0|\[::1\]|10\.|192\.168\.)/.test(u.hostname);
}

export const fitsCallbackData = (data: string) => Buffer.byteLength(data, 'utf8') <= MAX_CALLBACK_BYTES;

export interface Keyboard {
  keyboard: InlineKeyboard | undefined;
  /** URL buttons Telegram would refuse (local addresses): shown in the text instead. */
  unlinked: { label: string; url: string }[];
  /** Buttons whose action is longer than 64 bytes: dropped, and logged by the caller. */
  rejected: string[];
}

/**
 * Engine buttons as an inline keyboard: `action` becomes callback_data
 * (longer than 64 bytes is refused here, at render time), `url` a URL button.
 */
export function keyboardOf(buttons: readonly Button[] | undefined): Keyboard {
  const unlinked: { label: string; url: string }[] = [];
  const rejected: string[] = [];
  if (!buttons?.length) return { keyboard: undefined, unlinked, rejected };
  const kb = new InlineKeyboard();
  let inRow = 0;
  for (const b of buttons) {
    if ('url' in b ? !isPublicUrl(b.url) : !fitsCallbackData(b.action)) {
      if ('url' in b) unlinked.push(b);
      else rejected.push(b.action);
      continue;
    }
    const long = [...b.label].length > LONG_LABEL;
    if (inRow >= 2 || (inRow > 0 && long)) {
      kb.row();
      inRow = 0;
    }
    if ('url' in b) kb.url(b.label, b.url);
    else kb.text(b.label, b.action);
    inRow = long ? 2 : inRow + 1;
  }
  return { keyboard: kb.inline_keyboard.some((r) => r.length) ? kb : undefined, unlinked, rejected };
}
