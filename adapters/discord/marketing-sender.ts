import type { REST } from '@discordjs/rest';
import type { APIButtonComponent } from 'discord-api-types/v10';
import { encodeAction } from '../../src/conversation/actions.ts';
import type { Translator } from '../../src/conversation/i18n/i18n.ts';
import type { MarketingSender } from '../../src/marketing/broadcast.ports.ts';
import type { BroadcastMessage, SendOutcome } from '../../src/marketing/broadcast.types.ts';
import { offerAction } from '../../src/marketing/broadcast-format.ts';
import { buttonRows, toButton } from './components.ts';
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

/** Direct messages are the slow lane on Discord; stay well under its limits. */
export const DISCORD_MARKETING_PER_SECOND = 5;

/**
 * Broadcast messages by DM: the text, the image as an embed, a button that
 * opens the product and an Unsubscribe button. discord.js's REST queue
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
    const buttons = broadcastButtons(m, this.t);
    try {
      const sent = await sendDirectMessage(this.rest, address, {
        content: cut(m.text, LIMITS.content),
        embeds: m.imageUrl ? [{ image: { url: m.imageUrl } }] : [],
        components: buttonRows([buttons], 1),
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
