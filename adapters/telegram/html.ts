/** Telegram HTML parse mode: only &, < and > need escaping in text. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts plain text to at most `max` characters (before escaping), ending with an ellipsis. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Telegram's limits, in characters after entity parsing. */
export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;
export const MAX_CALLBACK_BYTES = 64;

/** The text Telegram shows for our HTML (tags dropped, the three entities decoded). */
export function visibleText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Keeps HTML within a limit that Telegram counts on the visible text. Over the
 * limit, the formatting is dropped rather than cutting inside a tag.
 */
export function fitHtml(html: string, max: number): string {
  const plain = visibleText(html);
  return [...plain].length <= max ? html : escapeHtml(clip(plain, max));
}
