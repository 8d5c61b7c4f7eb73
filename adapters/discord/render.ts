import type { APIButtonComponent, APIEmbed } from 'discord-api-types/v10';
import { decodeAction, encodeAction } from '../../src/conversation/actions.ts';
import type { Button, Reply } from '../../src/conversation/conversation.types.ts';
import type { Translator } from '../../src/conversation/i18n/i18n.ts';
import { buttonRows, customIds, PICK_QUANTITY, PICK_VARIANT, select, toButton, type Row } from './components.ts';
import { cut, embedSize, LIMITS } from './limits.ts';
import { withPromoButton } from './promo-code.ts';

/** One Discord message; `private` ones (cart, checkout, orders) are only ever shown to the shopper. */
export interface DiscordMessage {
  content?: string | undefined;
  embeds: APIEmbed[];
  components: Row[];
  private: boolean;
}

const PRIVATE: ReadonlySet<Reply['type']> = new Set(['cart', 'checkout', 'orders']);
const MAX_QUANTITY_CHOICES = 10;

const buttonsOf = (bs: Button[] | undefined, label?: (b: Button) => string): APIButtonComponent[] =>
  (bs ?? []).flatMap((b) => toButton(b, label?.(b)) ?? []);

function embed(e: APIEmbed): APIEmbed {
  return {
    ...e,
    ...(e.title !== undefined && { title: cut(e.title, LIMITS.embedTitle) }),
    ...(e.description !== undefined && { description: cut(e.description, LIMITS.embedDescription) }),
    ...(e.footer && { footer: { text: cut(e.footer.text, LIMITS.footer) } }),
    ...(e.fields && { fields: e.fields.slice(0, LIMITS.embedFields).map((f) => ({ name: cut(f.name, LIMITS.fieldName), value: cut(f.value || '—', LIMITS.fieldValue), inline: f.inline ?? false })) }),
  };
}

/** Product detail: variants as a select menu, quantities as buttons (and a select when many are left). */
function productRows(r: Extract<Reply, { type: 'product' }>, t: Translator): Row[] {
  const variantButtons: Button[] = [];
  const others: Button[] = [];
  for (const b of r.buttons) ('action' in b && decodeAction(b.action)?.op === 'variant' ? variantButtons : others).push(b);
  const rows: Row[] = [];
  if (variantButtons.length) {
    const options = variantButtons.flatMap((b) => {
      if (!('action' in b)) return [];
      const a = decodeAction(b.action);
      const v = a?.op === 'variant' ? r.product.variants.find((x) => x.id === a.id) : undefined;
      return [{ label: b.label, value: b.action, ...(v && { description: v.priceText }) }];
    });
    const menu = select(PICK_VARIANT, t.m.chooseVariant(), options);
    if (menu) rows.push(menu);
  }
  const add = others.map((b) => ('action' in b ? decodeAction(b.action) : null)).find((a) => a?.op === 'add');
  const target = add?.op === 'add' ? r.product.variants.find((v) => v.id === add.variantId) : undefined;
  if (add?.op === 'add' && target && target.available > 3) {
    const max = Math.min(target.available, MAX_QUANTITY_CHOICES);
    const options = Array.from({ length: max }, (_, i) => ({ label: String(i + 1), value: encodeAction({ op: 'add', variantId: add.variantId, quantity: i + 1 }) }));
    const menu = select(PICK_QUANTITY, t.m.quantityPick(), options);
    if (menu) rows.push(menu);
  }
  return [...rows, ...buttonRows([buttonsOf(others)], LIMITS.actionRows - rows.length)];
}

interface Part {
  content?: string | undefined;
  embeds: APIEmbed[];
  rows: Row[];
  private: boolean;
}

function part(r: Reply, t: Translator): Part | null {
  const isPrivate = PRIVATE.has(r.type);
  switch (r.type) {
    case 'text':
      return { content: cut(r.text, LIMITS.content), embeds: [], rows: buttonRows([buttonsOf(r.buttons)], LIMITS.actionRows), private: isPrivate };
    case 'image':
      return { embeds: [embed({ ...(r.caption && { title: r.caption }), image: { url: r.url } })], rows: [], private: isPrivate };
    case 'products': {
      const embeds = r.items.map((i) =>
        embed({
          title: i.title,
          description: [i.compareAtText ? `${i.priceText} ~~${i.compareAtText}~~` : i.priceText, i.stockHint].join('\n'),
          ...(i.imageUrl && { thumbnail: { url: i.imageUrl } }),
        }),
      );
      const groups = [...r.items.map((i) => buttonsOf(i.buttons, (b) => `${b.label} · ${i.title}`)), buttonsOf(r.buttons)];
      return { content: cut(r.title, LIMITS.content), embeds: embeds.slice(0, LIMITS.embedsPerMessage), rows: buttonRows(groups, LIMITS.actionRows), private: isPrivate };
    }
    case 'product': {
      const image = r.product.images[0] ?? r.product.imageUrl;
      return { embeds: [embed({ title: r.product.title, description: r.text, ...(image && { image: { url: image } }) })], rows: productRows(r, t), private: isPrivate };
    }
    case 'cart':
      return {
        embeds: [embed({ title: r.text, description: [...r.lines.map((l) => `${l.quantity} × ${l.title} — ${l.lineTotalText}`), '', `**${r.totalText}**`].join('\n') })],
        // Discord only: a button that opens the promo-code form (the engine's `code` command).
        rows: buttonRows([withPromoButton(buttonsOf(r.buttons), t)], LIMITS.actionRows),
        private: isPrivate,
      };
    case 'compare':
      return {
        embeds: [embed({ title: r.title, fields: r.rows.map((row) => ({ name: row.label, value: row.values.map((v, i) => `${r.columns[i] ?? ''}: ${v}`).join('\n') })) })],
        rows: buttonRows([buttonsOf(r.buttons)], LIMITS.actionRows),
        private: isPrivate,
      };
    case 'checkout':
      return { embeds: [embed({ description: r.text })], rows: buttonRows([buttonsOf(r.buttons)], LIMITS.actionRows), private: isPrivate };
    case 'orders':
      return { embeds: [embed({ description: r.text })], rows: buttonRows([buttonsOf(r.buttons)], LIMITS.actionRows), private: isPrivate };
  }
}

function fits(m: DiscordMessage, p: Part): boolean {
  if (m.private !== p.private) return false;
  if (m.embeds.length + p.embeds.length > LIMITS.embedsPerMessage) return false;
  if ([...m.embeds, ...p.embeds].reduce((n, e) => n + embedSize(e), 0) > LIMITS.embedTotal) return false;
  if ((m.content?.length ?? 0) + (p.content?.length ?? 0) + 2 > LIMITS.content) return false;
  return m.components.length + p.rows.length <= LIMITS.actionRows;
}

/** Drops components whose custom id the message already uses (ids must be unique per message). */
function withoutDuplicates(rows: Row[], used: Set<string>): Row[] {
  return rows
    .map((row) => ({ ...row, components: row.components.filter((c) => !('custom_id' in c) || !c.custom_id || !used.has(c.custom_id)) }))
    .filter((row) => row.components.length);
}

/**
 * Renders the engine's replies as few Discord messages as the limits allow
 * (10 embeds and 6000 embed characters, 5 action rows, 2000 characters of
 * content per message). Private replies never share a message with public ones.
 */
export function renderReplies(replies: Reply[], t: Translator): DiscordMessage[] {
  const productImages = new Set(replies.flatMap((r) => (r.type === 'product' ? r.product.images : [])));
  const messages: DiscordMessage[] = [];
  for (const r of replies) {
    if (r.type === 'image' && productImages.has(r.url)) continue;
    const p = part(r, t);
    if (!p) continue;
    const last = messages.at(-1);
    if (last && fits(last, p)) {
      const rows = withoutDuplicates(p.rows, new Set(customIds(last.components)));
      last.content = [last.content, p.content].filter(Boolean).join('\n\n') || undefined;
      last.embeds.push(...p.embeds);
      last.components.push(...rows);
    } else {
      messages.push({ content: p.content, embeds: p.embeds, components: p.rows, private: p.private });
    }
  }
  return messages;
}

/** The JSON body Discord expects for a message (no pings from echoed shopper text). */
export function messageBody(m: DiscordMessage, flags = 0) {
  return { content: m.content ?? '', embeds: m.embeds, components: m.components, allowed_mentions: { parse: [] }, ...(flags && { flags }) };
}
