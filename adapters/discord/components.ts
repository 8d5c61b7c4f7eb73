import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APISelectMenuOption,
  type APIStringSelectComponent,
} from 'discord-api-types/v10';
import { decodeAction } from '../../src/conversation/actions.ts';
import type { Button } from '../../src/conversation/conversation.types.ts';
import { cut, LIMITS } from './limits.ts';

export type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Custom ids of the adapter's own select menus: the chosen option's value is the engine action. */
export const PICK_VARIANT = 'd:pick:v';
export const PICK_QUANTITY = 'd:pick:q';

function styleOf(action: string): ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success {
  const op = decodeAction(action)?.op;
  if (op === 'add' || op === 'checkout' || op === 'confirm') return ButtonStyle.Success;
  if (op === 'product') return ButtonStyle.Primary;
  return ButtonStyle.Secondary;
}

/** A Discord button for an engine button; null when it cannot fit Discord's limits. */
export function toButton(b: Button, label = b.label): APIButtonComponent | null {
  const text = cut(label.trim() || '…', LIMITS.buttonLabel);
  if ('url' in b) return b.url.length <= LIMITS.buttonUrl ? { type: ComponentType.Button, style: ButtonStyle.Link, label: text, url: b.url } : null;
  if (b.action.length > LIMITS.customId) return null;
  return { type: ComponentType.Button, style: styleOf(b.action), label: text, custom_id: b.action };
}

export function select(customId: string, placeholder: string, options: APISelectMenuOption[]): Row | null {
  const opts = options.slice(0, LIMITS.selectOptions).filter((o) => o.value.length <= LIMITS.selectOptionText);
  if (!opts.length) return null;
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: customId,
    placeholder: cut(placeholder, LIMITS.selectPlaceholder),
    min_values: 1,
    max_values: 1,
    options: opts.map((o) => ({ ...o, label: cut(o.label, LIMITS.selectOptionText), ...(o.description && { description: cut(o.description, LIMITS.selectOptionText) }) })),
  };
  return { type: ComponentType.ActionRow, components: [menu] };
}

/**
 * Lays groups of buttons (e.g. one product's buttons) out in rows of five,
 * a group starting a new row while rows remain; whatever does not fit in
 * `maxRows` is dropped. Custom ids must be unique within a message.
 */
export function buttonRows(groups: APIButtonComponent[][], maxRows: number, seen = new Set<string>()): Row[] {
  const unique = groups.map((g) =>
    g.filter((b) => {
      if (!('custom_id' in b)) return true;
      if (seen.has(b.custom_id)) return false;
      seen.add(b.custom_id);
      return true;
    }),
  ).filter((g) => g.length);
  const rowsIfGrouped = unique.reduce((n, g) => n + Math.ceil(g.length / LIMITS.buttonsPerRow), 0);
  const chunks = rowsIfGrouped <= maxRows ? unique : [unique.flat()];
  const rows: Row[] = [];
  for (const g of chunks) {
    for (let i = 0; i < g.length && rows.length < maxRows; i += LIMITS.buttonsPerRow) {
      rows.push({ type: ComponentType.ActionRow, components: g.slice(i, i + LIMITS.buttonsPerRow) });
    }
  }
  return rows;
}

/** The custom ids a set of rows uses (to keep a merged message's ids unique). */
export function customIds(rows: Row[]): string[] {
  return rows.flatMap((r) => r.components.flatMap((c) => ('custom_id' in c && c.custom_id ? [c.custom_id] : [])));
}
