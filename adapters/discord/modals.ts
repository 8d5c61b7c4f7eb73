import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
  type APIModalSubmission,
} from 'discord-api-types/v10';
import { cut } from './limits.ts';
import type { DiscordMessage } from './render.ts';

/** Discord's limits for modals (a title, up to five labelled text inputs). */
export const MODAL_LIMITS = { title: 45, fields: 5, label: 45, description: 100, placeholder: 100, value: 4000 } as const;

export interface ModalField {
  id: string;
  label: string;
  description?: string | undefined;
  placeholder?: string | undefined;
  required: boolean;
  maxLength: number;
  paragraph?: boolean;
}

export interface ModalForm {
  /** The modal's custom id: what its submission arrives with. */
  customId: string;
  title: string;
  fields: readonly ModalField[];
}

/** The modal a MODAL (type 9) answer shows, each text input in a label component, pre-filled from `values`. */
export function modalData(form: ModalForm, values: Readonly<Record<string, string>> = {}): APIModalInteractionResponseCallbackData {
  return {
    custom_id: form.customId,
    title: cut(form.title, MODAL_LIMITS.title),
    components: form.fields.slice(0, MODAL_LIMITS.fields).map((f) => ({
      type: ComponentType.Label,
      label: cut(f.label, MODAL_LIMITS.label),
      ...(f.description && { description: cut(f.description, MODAL_LIMITS.description) }),
      component: {
        type: ComponentType.TextInput,
        custom_id: f.id,
        style: f.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: f.required,
        max_length: f.maxLength,
        ...(f.placeholder && { placeholder: cut(f.placeholder, MODAL_LIMITS.placeholder) }),
        ...(values[f.id] && { value: cut(values[f.id] ?? '', f.maxLength) }),
      },
    })),
  };
}

/** The text typed into each input of a submitted modal (label components, or the older action rows). */
export function submittedValues(data: Pick<APIModalSubmission, 'components'>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const c of data.components) {
    const inputs = c.type === ComponentType.ActionRow ? c.components : c.type === ComponentType.Label ? [c.component] : [];
    for (const input of inputs) {
      if (input.type === ComponentType.TextInput && typeof input.value === 'string') values[input.custom_id] = input.value;
    }
  }
  return values;
}

const EMPTY = '—';

/**
 * A refused form: what was wrong, field by field, and everything that was
 * typed (in an embed, so nothing is lost), with a button that opens the form
 * again filled in from this very message (`valuesFromMessage`).
 */
export function formErrorMessage(form: ModalForm, values: Readonly<Record<string, string>>, problems: readonly string[], retry: { customId: string; label: string }): DiscordMessage {
  const embed: APIEmbed = {
    title: 'What you entered',
    fields: form.fields.map((f) => ({ name: f.label, value: cut(values[f.id]?.trim() || EMPTY, 1024), inline: false })),
  };
  return {
    content: cut(['Please check these fields and try again:', ...problems.map((p) => `• ${p}`)].join('\n'), 2000),
    embeds: [embed],
    components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: retry.label, custom_id: retry.customId }] }],
    private: true,
  };
}

/** The values a `formErrorMessage` shows, read back from the message its retry button sits on. */
export function valuesFromMessage(form: ModalForm, message: { embeds?: readonly APIEmbed[] } | undefined): Record<string, string> {
  const fields = message?.embeds?.[0]?.fields ?? [];
  const values: Record<string, string> = {};
  for (const f of form.fields) {
    const shown = fields.find((x) => x.name === f.label)?.value;
    if (shown && shown !== EMPTY) values[f.id] = shown;
  }
  return values;
}
