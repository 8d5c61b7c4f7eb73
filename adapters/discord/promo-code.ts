import { ButtonStyle, ComponentType, type APIButtonComponent, type APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import { decodeAction } from '../../src/conversation/actions.ts';
import type { Translator } from '../../src/conversation/i18n/i18n.ts';
import { modalData } from './modals.ts';
import type { DiscordMessage } from './render.ts';

/** The cart's "Apply promo code" button, and the form it opens. */
export const PROMO_BUTTON = 'd:code';
export const PROMO_MODAL = 'd:cm';
/** The engine accepts codes of 3–32 letters, digits, `_` and `-`; it answers anything else with how to type one. */
const CODE_MAX = 32;

/** The cart buttons the engine always puts first (checkout, keep shopping, remove code): the promo button goes after them. */
const FIXED_OPS: ReadonlySet<string> = new Set(['checkout', 'menu', 'removeCode']);

/**
 * A Discord cart gets an "Apply promo code" button after its fixed buttons
 * (before the per-line − / + buttons). Only the Discord renderer adds it:
 * typing `code SPRING20` works everywhere, a form is the Discord way.
 */
export function withPromoButton(buttons: APIButtonComponent[], t: Translator): APIButtonComponent[] {
  const at = buttons.reduce((n, b, i) => ('custom_id' in b && FIXED_OPS.has(decodeAction(b.custom_id)?.op ?? '') ? i + 1 : n), 0);
  const promo: APIButtonComponent = { type: ComponentType.Button, style: ButtonStyle.Secondary, label: t.m.promoCodeButton(), custom_id: PROMO_BUTTON };
  return [...buttons.slice(0, at), promo, ...buttons.slice(at)];
}

/** The form: one short text input, the code. */
export function promoCodeModal(t: Translator): APIModalInteractionResponseCallbackData {
  return modalData({
    customId: PROMO_MODAL,
    title: t.m.promoCodeTitle(),
    fields: [{ id: 'code', label: t.m.promoCodeLabel(), placeholder: t.m.promoCodePlaceholder(), required: true, maxLength: CODE_MAX }],
  });
}

/** The engine command a submitted form becomes: it answers with the cart (code applied) or the reason in the shopper's language. */
export function promoCodeCommand(values: Readonly<Record<string, string>>): { name: 'code'; args: string } {
  return { name: 'code', args: values.code?.trim() ?? '' };
}

/**
 * "Code X applied." and the cart come from the engine as two replies (a text
 * and a private cart); shown as one ephemeral message, the note above the cart.
 */
export function noteOnCart(messages: DiscordMessage[]): DiscordMessage[] {
  const [note, cart, ...rest] = messages;
  if (!note || !cart || note.embeds.length || note.components.length || !cart.embeds.length) return messages;
  return [{ ...cart, content: [note.content, cart.content].filter(Boolean).join('\n\n'), private: true }, ...rest];
}
