import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed } from 'discord-api-types/v10';
import { broadcastStatus } from '../../src/marketing/broadcast-format.ts';
import type { BroadcastPreview } from '../../src/marketing/broadcast.service.ts';
import type { BroadcastMessage, BroadcastRecord } from '../../src/marketing/broadcast.types.ts';
import { describeSegment } from '../../src/marketing/segment.ts';
import { formatMoney } from '../../src/shared/money.ts';
import { buttonRows } from './components.ts';
import { cut, LIMITS } from './limits.ts';
import { announcement, broadcastButtons } from './marketing-sender.ts';
import type { DiscordMessage } from './render.ts';
import { staffT } from './staff.ts';

/** Staff buttons on a broadcast: `d:mk:<broadcast id>:<s send | c cancel or stop | r refresh>`. */
export const MARKETING_PREFIX = 'd:mk:';
export const BROADCAST_BUTTON = /^d:mk:([a-z0-9]{1,40}):([scr])$/;
/** The preview's copy of the DM buttons: shown disabled, never matched by BROADCAST_BUTTON. */
const PREVIEW_ONLY = `${MARKETING_PREFIX}preview:`;

const button = (label: string, customId: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger): APIButtonComponent => ({
  type: ComponentType.Button,
  style,
  label: cut(label, LIMITS.buttonLabel),
  custom_id: customId,
});

const who = (b: BroadcastRecord, currency: string) => describeSegment(b.segment, (amount) => formatMoney({ amount, currency }));

/**
 * The broadcast as each subscriber will get it by DM (the text, the image,
 * the product and Unsubscribe buttons, shown disabled), then who it reaches
 * per channel, with Send and Cancel. `notice` says why an earlier Send did nothing.
 */
export function previewMessage(p: BroadcastPreview, message: BroadcastMessage | null, currency: string, notice?: string): DiscordMessage {
  const b = p.broadcast;
  const count = p.recipients.telegram + p.recipients.discord;
  const lookalike = broadcastButtons({ product: message?.product ?? null }, staffT).map((x, n) => ({ ...x, disabled: true, ...('custom_id' in x && { custom_id: `${PREVIEW_ONLY}${n}` }) }));
  const summary: APIEmbed = {
    title: 'Preview: nothing is sent until you press Send',
    description: cut(
      [
        ...(notice ? [`⚠️ ${notice}`, ''] : []),
        `It reaches ${count} subscriber(s): ${who(b, currency)} (Telegram ${p.recipients.telegram}, Discord ${p.recipients.discord}).`,
        ...(b.productId && !message?.product ? ['Its product is no longer for sale: it would not be sent. Cancel and compose it again.'] : []),
        'Quiet hours and opt-outs are respected while it sends.',
      ].join('\n'),
      LIMITS.embedDescription,
    ),
  };
  const shown = announcement(b.text, b.imageUrl);
  return {
    content: shown.content,
    embeds: [...shown.embeds, summary],
    components: buttonRows(
      [lookalike, [button(`Send to ${count}`, `${MARKETING_PREFIX}${b.id}:s`, ButtonStyle.Success), button('Cancel', `${MARKETING_PREFIX}${b.id}:c`, ButtonStyle.Secondary)]],
      2,
    ),
    private: true,
  };
}

/** Progress with a bar; Refresh and Stop while it is sending or scheduled. `notice` heads it (e.g. "already sending"). */
export function statusMessage(b: BroadcastRecord, currency: string, notice?: string): DiscordMessage {
  const live = b.status === 'sending' || b.status === 'scheduled';
  return {
    content: cut([...(notice ? [notice] : []), broadcastStatus(b, currency)].join('\n'), LIMITS.content),
    embeds: [],
    components: live ? buttonRows([[button('Refresh', `${MARKETING_PREFIX}${b.id}:r`, ButtonStyle.Primary), button('Stop', `${MARKETING_PREFIX}${b.id}:c`, ButtonStyle.Danger)]], 1) : [],
    private: true,
  };
}

/** `/broadcasts`: the latest, newest first, each with its progress. */
export function broadcastListMessage(list: readonly BroadcastRecord[], currency: string, usage: string): DiscordMessage {
  if (!list.length) return { content: cut(`No broadcasts yet.\n\n${usage}`, LIMITS.content), embeds: [], components: [], private: true };
  const lines = list.map((b) => `**${b.createdAt.toISOString().slice(0, 16).replace('T', ' ')}** · ${cut(b.text, 60)}\n${broadcastStatus(b, currency)}`);
  return { embeds: [{ title: 'Broadcasts', description: cut(lines.join('\n\n'), LIMITS.embedDescription) }], components: [], private: true };
}
