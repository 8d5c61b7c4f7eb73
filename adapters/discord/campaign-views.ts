import { ButtonStyle, ComponentType, type APIButtonComponent } from 'discord-api-types/v10';
import { MAX_CAMPAIGN_TEXT } from '../../src/marketing/campaign.ts';
import { formatCampaignPreview } from '../../src/marketing/campaign-format.ts';
import type { CampaignLaunched, CampaignPreview } from '../../src/marketing/campaign.service.ts';
import { wizardQuestion, wizardSteps, type WizardState } from '../../src/marketing/campaign-wizard.ts';
import { buttonRows, select, type Row } from './components.ts';
import { cut, LIMITS } from './limits.ts';
import { MODAL_LIMITS, type ModalForm } from './modals.ts';
import type { DiscordMessage } from './render.ts';

/**
 * Custom ids of /campaign, all `d:cp:<session>:<op>` (at most 24 characters):
 * `s<step>:<choice>` a wizard button, `s<step>` the wizard's select menu (the
 * choice is its value), `t` opens the announcement form, `m` is that form,
 * `c` Confirm, `x` Cancel. The session is a random id bound to the staff
 * member who started it (src/marketing/campaign-sessions.ts); anything else
 * is refused.
 */
export const CAMPAIGN_PREFIX = 'd:cp:';
export const CAMPAIGN_ID = /^d:cp:([0-9a-f]{12}):(c|x|t|m|s[0-5])(?::(\d{1,2}))?$/;
export const STALE = 'This campaign draft has expired or is not yours. Start again with /campaign.';
export const NOT_OURS = 'That button is not one I made; nothing was done.';
/** The announcement's input in the form. */
export const TEXT_FIELD = 'text';
/** More choices than fit a row of buttons go in a select menu. */
const MAX_BUTTON_CHOICES = LIMITS.buttonsPerRow;

const id = (session: string, op: string) => `${CAMPAIGN_PREFIX}${session}:${op}`;
const button = (label: string, customId: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success): APIButtonComponent => ({
  type: ComponentType.Button,
  style,
  label: cut(label, LIMITS.buttonLabel),
  custom_id: customId,
});
const cancel = (session: string) => button('Cancel', id(session, 'x'), ButtonStyle.Secondary);

/** One wizard step: its question, its choices as buttons (or a menu when many), and Cancel. */
export function wizardMessage(session: string, w: WizardState, notice?: string): DiscordMessage {
  const q = wizardQuestion(w);
  const step = `s${wizardSteps.indexOf(w.step)}`;
  let rows: Row[];
  if (w.step === 'text') {
    rows = buttonRows([[button('Write the announcement', id(session, 't'), ButtonStyle.Primary), cancel(session)]], 1);
  } else if (q.choices.length > MAX_BUTTON_CHOICES) {
    const menu = select(id(session, step), 'Choose…', q.choices.map((label, i) => ({ label, value: String(i) })));
    rows = [...(menu ? [menu] : []), ...buttonRows([[cancel(session)]], 1)];
  } else {
    rows = buttonRows([q.choices.map((label, i) => button(label, id(session, `${step}:${i}`), ButtonStyle.Primary)), [cancel(session)]], LIMITS.actionRows);
  }
  const question = w.step === 'text' ? `${q.text}\nPress "Write the announcement" to type it.` : q.text;
  return { content: cut([notice, question].filter(Boolean).join('\n\n'), LIMITS.content), embeds: [], components: rows, private: true };
}

/** The form the announcement is typed in (Discord's stand-in for Telegram's typed message). */
export function announcementForm(session: string): ModalForm {
  return {
    customId: id(session, 'm'),
    title: 'Campaign announcement',
    fields: [
      {
        id: TEXT_FIELD,
        label: 'What shoppers read',
        description: 'The promo code is added if you do not mention it.',
        required: true,
        maxLength: Math.min(MAX_CAMPAIGN_TEXT, MODAL_LIMITS.value),
        paragraph: true,
      },
    ],
  };
}

/** The draft as it would run: promotion, products, segment with its count, announcement; Confirm only when someone would get it. */
export function previewMessage(session: string, p: CampaignPreview, timeZone: string): DiscordMessage {
  const [title = '', ...lines] = formatCampaignPreview(p, timeZone).split('\n');
  const total = p.recipients.telegram + p.recipients.discord;
  const confirm = total > 0 ? [button(`Confirm: send to ${total}`, id(session, 'c'), ButtonStyle.Success)] : [];
  return {
    embeds: [{ title: cut(title, LIMITS.embedTitle), description: cut(lines.join('\n'), LIMITS.embedDescription) }],
    components: buttonRows([[...confirm, cancel(session)]], 1),
    private: true,
  };
}

/** A refused announcement: why, and the form again. */
export function retryMessage(session: string, problem: string): DiscordMessage {
  return {
    content: cut(`${problem}\n\nWrite the announcement again, or Cancel.`, LIMITS.content),
    embeds: [],
    components: buttonRows([[button('Write the announcement', id(session, 't'), ButtonStyle.Primary), cancel(session)]], 1),
    private: true,
  };
}

export function launchedMessage(r: CampaignLaunched): DiscordMessage {
  const code = r.promotion.code;
  return note(
    `Campaign on: code ${code} · ${r.preview.offer}\nAnnouncement ${r.broadcast.status} to ${r.broadcast.recipients} subscriber(s); follow it with /broadcasts. /promo off: ${code} stops the code.`,
  );
}

export const note = (text: string): DiscordMessage => ({ content: cut(text, LIMITS.content), embeds: [], components: [], private: true });
