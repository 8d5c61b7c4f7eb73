import type { InlineKeyboard } from 'grammy';
import type { Button, Reply } from '../../src/conversation/conversation.types.ts';
import { compareHtml } from './compare-table.ts';
import { clip, escapeHtml, fitHtml, MAX_CAPTION, MAX_TEXT } from './html.ts';
import { keyboardOf } from './keyboard.ts';

/** One Telegram message to send (or to edit an earlier one into). */
export interface Outgoing {
  kind: 'text' | 'photo';
  /** The engine reply it shows. */
  source: Reply['type'];
  /** Message text (kind text) in HTML. */
  html: string;
  /** Caption in HTML: for a photo, or for a product card edited into a photo message. */
  caption: string;
  photoUrl?: string | undefined;
  keyboard?: InlineKeyboard | undefined;
  /** Plain text of a short note (used as the callback toast when editing in place). */
  note?: string | undefined;
}

export interface Plan {
  messages: Outgoing[];
  /** Button actions dropped for exceeding 64 bytes (a bug upstream; logged). */
  rejected: string[];
}

const b = (s: string) => `<b>${escapeHtml(s)}</b>`;

function withButtons(html: string, buttons: readonly Button[] | undefined, rejected: string[]) {
  const kb = keyboardOf(buttons);
  rejected.push(...kb.rejected);
  const links = kb.unlinked.map((u) => `${escapeHtml(u.label)}: ${escapeHtml(u.url)}`);
  return { html: [html, ...links].join('\n'), keyboard: kb.keyboard };
}

function productsHtml(r: Extract<Reply, { type: 'products' }>): { html: string; buttons: Button[] } {
  const lines = r.items.map((p, i) => {
    const was = p.compareAtText ? ` <s>${escapeHtml(p.compareAtText)}</s>` : '';
    return `${i + 1}. ${b(p.title)} — ${escapeHtml(p.priceText)}${was} · ${escapeHtml(p.stockHint)}`;
  });
  // Each product's own buttons, labelled so they make sense in one keyboard.
  const buttons: Button[] = [];
  r.items.forEach((p, i) => {
    for (const [j, btn] of p.buttons.entries()) buttons.push({ ...btn, label: j === 0 ? `${i + 1}. ${p.title}` : `🛒 ${i + 1}` });
  });
  return { html: [b(r.title), ...lines].join('\n'), buttons: [...buttons, ...(r.buttons ?? [])] };
}

function cartHtml(r: Extract<Reply, { type: 'cart' }>): string {
  const lines = r.lines.map((l) => `${l.quantity} × ${escapeHtml(l.title)} — ${escapeHtml(l.lineTotalText)}`);
  return [b(r.text), ...lines, b(r.totalText)].join('\n');
}

function one(r: Reply, rejected: string[]): Outgoing {
  const text = (html: string, buttons?: readonly Button[]): Outgoing => {
    const k = withButtons(html, buttons, rejected);
    return { kind: 'text', source: r.type, html: fitHtml(k.html, MAX_TEXT), caption: fitHtml(k.html, MAX_CAPTION), keyboard: k.keyboard };
  };
  switch (r.type) {
    case 'text': return { ...text(escapeHtml(r.text), r.buttons), note: r.buttons?.length ? undefined : r.text };
    case 'image': return { kind: 'photo', source: r.type, html: '', caption: escapeHtml(clip(r.caption ?? '', MAX_CAPTION)), photoUrl: r.url };
    case 'products': {
      const p = productsHtml(r);
      return text(p.html, p.buttons);
    }
    case 'product': {
      const [first, ...rest] = r.text.split('\n');
      const html = [b(first ?? ''), ...rest.map(escapeHtml)].join('\n');
      const out = text(html, r.buttons);
      // A caption is shorter: trim the description, never the title line.
      const caption = [b(first ?? ''), escapeHtml(clip(rest.join('\n'), MAX_CAPTION - [...(first ?? '')].length - 2))].join('\n');
      return { ...out, caption: fitHtml(caption, MAX_CAPTION) };
    }
    case 'cart': return text(cartHtml(r), r.buttons);
    case 'compare': return text(compareHtml(r), r.buttons);
    case 'checkout': return text(escapeHtml(r.text), r.buttons);
    case 'orders': return text(escapeHtml(r.text), r.buttons);
  }
}

/**
 * The engine's replies as Telegram messages. An image followed by its
 * product becomes one photo with the card as caption and the buttons under it.
 */
export function planReplies(replies: readonly Reply[]): Plan {
  const rejected: string[] = [];
  const messages: Outgoing[] = [];
  for (let i = 0; i < replies.length; i++) {
    const r = replies[i];
    if (!r) continue;
    const next = replies[i + 1];
    if (r.type === 'image' && next?.type === 'product' && next.product.images[0] === r.url) {
      const card = one(next, rejected);
      messages.push({ ...card, kind: 'photo', photoUrl: r.url });
      i++;
      continue;
    }
    messages.push(one(r, rejected));
  }
  return { messages, rejected };
}
