import type { REST } from '@discordjs/rest';
import type { APIButtonComponent } from 'discord-api-types/v10';
import { Routes, type RESTPostAPIChannelMessageResult, type RESTPostAPICurrentUserCreateDMChannelResult } from 'discord-api-types/v10';
import { encodeAction } from '../../src/conversation/actions.ts';
import type { Button } from '../../src/conversation/conversation.types.ts';
import { resolveLocale, translator, type Translator } from '../../src/conversation/i18n/i18n.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import { buyerUpdate } from '../../src/orders/buyer-notice.ts';
import type { DeliveryNotice, OrderChange, OrderNotifier } from '../../src/orders/orders.ports.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { deliveryText } from '../../src/orders/staff-notice.ts';
import { AppError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { buttonRows, toButton } from './components.ts';
import { cut, LIMITS } from './limits.ts';
import { messageBody, type DiscordMessage } from './render.ts';
import { discordErrorCode, httpStatusOf } from './rest.ts';

/** Discord's "Cannot send messages to this user" (DMs closed, bot blocked, no shared server). */
const CANNOT_DM = 50007;
/** Discord's message content limit. */
export const MAX_CONTENT = 2000;

export interface DiscordNotifierLink {
  rest: REST;
  customers: CustomerService;
  log: Logger;
}

/** Opens (or reuses) the DM channel with a user and posts a message there. */
export async function sendDirectMessage(rest: REST, userId: string, m: DiscordMessage): Promise<RESTPostAPIChannelMessageResult> {
  const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as RESTPostAPICurrentUserCreateDMChannelResult;
  return (await rest.post(Routes.channelMessages(dm.id), { body: messageBody(m) })) as RESTPostAPIChannelMessageResult;
}

export function cannotDirectMessage(err: unknown): boolean {
  return discordErrorCode(err) === CANNOT_DM || httpStatusOf(err) === 403;
}

/**
 * Tells a Discord buyer about each transition of their order by DM, in their
 * language (shipping with the tracking number and a carrier link button, each
 * step of a return), and hands over digital goods. Created before the
 * container (which needs a notifier) and linked once a bot token is known;
 * until then, and for other channels' orders, it does nothing. A user who
 * cannot be messaged is marked unreachable.
 */
export class DiscordOrderNotifier implements OrderNotifier {
  private link: DiscordNotifierLink | null = null;

  attach(link: DiscordNotifierLink): void {
    this.link = link;
  }

  async orderChanged(order: OrderRecord, change: OrderChange): Promise<void> {
    // The shopper's own return request is answered in the chat they asked in.
    if (change.from === null || change.actor?.startsWith('customer:')) return;
    await this.send(order, (t) => {
      const u = buyerUpdate(t, order, change);
      const buttons: Button[] = [
        ...(u.trackUrl ? [{ label: t.m.trackParcel(), url: u.trackUrl }] : []),
        { label: t.m.orderView({ number: order.number }), action: encodeAction({ op: 'order', id: order.id }) },
      ];
      // Notes carry the seller's words (a refund, a declined return); the return texts already quote them.
      const note = change.note && !u.text.includes(change.note) && !change.from?.startsWith('return') && change.to !== 'return_requested' ? `\n${change.note}` : '';
      return { text: `${u.text}${note}`, buttons };
    });
  }

  async goodsDelivered(order: OrderRecord, notice: DeliveryNotice): Promise<void> {
    await this.send(order, (t) => ({ text: deliveryText(t, order, notice), buttons: [{ label: t.m.orderView({ number: order.number }), action: encodeAction({ op: 'order', id: order.id }) }] }));
  }

  private async send(order: OrderRecord, build: (t: Translator) => { text: string; buttons: Button[] }): Promise<void> {
    const link = this.link;
    if (!link || order.channel !== 'discord' || !order.customerId) return;
    const customer = await link.customers.get(order.storeId, order.customerId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    });
    const identity = customer?.identities.find((i) => i.channel === 'discord');
    if (!customer || !identity) return;
    if (identity.unreachableAt) {
      link.log.info({ order: order.number }, 'discord buyer unreachable; order update not sent');
      return;
    }
    const t = translator(resolveLocale(identity.locale ?? customer.locale, 'en'));
    const { text, buttons } = build(t);
    const components = buttons.map((b) => toButton(b)).filter((b): b is APIButtonComponent => b !== null);
    const m: DiscordMessage = { content: cut(text, MAX_CONTENT), embeds: [], components: buttonRows([components], LIMITS.actionRows), private: true };
    try {
      await sendDirectMessage(link.rest, identity.externalUserId, m);
    } catch (err) {
      if (!cannotDirectMessage(err)) throw err;
      link.log.warn({ order: order.number }, 'discord buyer cannot be messaged; marked unreachable');
      await link.customers.markUnreachable(order.storeId, 'discord', identity.externalUserId, new Date());
    }
  }
}
