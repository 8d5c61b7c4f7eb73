import type { REST } from '@discordjs/rest';
import type { APIButtonComponent, APIEmbed } from 'discord-api-types/v10';
import { encodeAction } from '../../src/conversation/actions.ts';
import type { Translator } from '../../src/conversation/i18n/i18n.ts';
import type { MarketingSender } from '../../src/marketing/broadcast.ports.ts';
import type { BroadcastMessage, SendOutcome } from '../../src/marketing/broadcast.types.ts';
import { offerAction } from '../../src/marketing/broadcast-format.ts';
import { buttonRows, toButton, type Row } from './components.ts';
import { cut, LIMITS } from './limits.ts';
import { cannotDirectMessage, sendDirectMessage } from './notifier.ts';
import { httpStatusOf } from './rest.ts';

/** The buttons under a broadcast DM: the product (opens it, to buy) when there is one, and Unsubscribe. */
export function broadcastButtons(m: Pick<BroadcastMessage, 'product'> & { broadcastId?: string }, t: Translator): APIButtonComponent[] {
  return [
    ...(m.product ? [toButton({ label: `${t.m.buy()} · ${m.product.title} · ${m.product.price}`, action: offerAction(m.product, m.broadcastId) })] : []),
    toButton({ label: t.m.unsubscribeButton(), action: encodeAction({ op: 'unsubscribe' }) }),
  ].flatMap((b) => (b ? [b] : []));
}

/** Rows the message's own actions may take: the last row always holds Buy and Unsubscribe. */
const ACTION_ROWS = LIMITS.actionRows - 1;

/**
 * The message's action rows (View cart, the stars of a review request), at
 * most five buttons a row, then a row with Buy and Unsubscribe; a button
 * whose payload does not fit a custom_id is left out, never Unsubscribe.
 */
export function marketingRows(m: BroadcastMessage, t: Translator): Row[] {
  const own = (m.actions ?? [])
    .map((row) => row.flatMap((b) => toButton(b) ?? []).slice(0, LIMITS.buttonsPerRow))
    .filter((row) => row.length)
    .slice(0, ACTION_ROWS);
  const seen = new Set<string>();
  return [...buttonRows(own, ACTION_ROWS, seen), ...buttonRows([broadcastButtons(m, t)], 1, seen)];
}

/**
 * A marketing text and its image as a Discord message: as the content when it
 * fits Discord's 2,000 characters, else whole as an embed's description
 * (4,096; broadcasts are at most 3,000), never cut.
 */
export function announcement(text: string, imageUrl: string | null | undefined): { content: string; embeds: APIEmbed[] } {
  const image = imageUrl ? { image: { url: imageUrl } } : null;
  if ([...text].length <= LIMITS.content) return { content: text, embeds: image ? [image] : [] };
  return { content: '', embeds: [{ description: cut(text, LIMITS.embedDescription), ...image }] };
}

/** Direct messages are the slow lane on Discord; stay well under its limits. */
export const DISCORD_MARKETING_PER_SECOND = 5;

/**
 * Broadcast and automation messages by DM: the text, the image as an
 * embed, the message's own action buttons, a button that opens the product
 * and an Unsubscribe button. discord.js's REST queue
 * handles Discord's rate limits; a user who does not accept DMs (50007) is
 * reported blocked.
 */
export class DiscordMarketingSender implements MarketingSender {
  readonly channel = 'discord' as const;

  constructor(
    private readonly rest: REST,
    private readonly t: Translator,
    readonly perSecond = DISCORD_MARKETING_PER_SECOND,
  ) {}

  async send(address: string, m: BroadcastMessage): Promise<SendOutcome> {
    try {
      const sent = await sendDirectMessage(this.rest, address, {
        ...announcement(m.text, m.imageUrl),
        components: marketingRows(m, this.t),
        private: true,
      });
      return { kind: 'sent', messageId: sent.id };
    } catch (err) {
      if (cannotDirectMessage(err)) return { kind: 'blocked' };
      const status = httpStatusOf(err);
      if (status !== null || err instanceof Error) return { kind: 'error', message: status ? `HTTP ${status}` : err instanceof Error ? err.message : 'error' };
      throw err;
    }
  }
}
