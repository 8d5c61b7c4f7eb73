import type { REST } from '@discordjs/rest';
import { Routes, type RESTPostAPIChannelMessageResult, type RESTPostAPICurrentUserCreateDMChannelResult } from 'discord-api-types/v10';
import { encodeAction } from '../../src/conversation/actions.ts';
import { resolveLocale, translator } from '../../src/conversation/i18n/i18n.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { OrderStatus } from '../../src/orders/order-state.ts';
import type { OrderNotifier } from '../../src/orders/orders.ports.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { AppError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { buttonRows, toButton } from './components.ts';
import { LIMITS } from './limits.ts';
import { messageBody, type DiscordMessage } from './render.ts';
import { discordErrorCode, httpStatusOf } from './rest.ts';

/** Discord's "Cannot send messages to this user" (DMs closed, bot blocked, no shared server). */
const CANNOT_DM = 50007;

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
 * language. Created before the container (which needs a notifier) and linked
 * once a bot token is known; until then, and for other channels' orders, it
 * does nothing. A user who cannot be messaged is marked unreachable.
 */
export class DiscordOrderNotifier implements OrderNotifier {
  private link: DiscordNotifierLink | null = null;

  attach(link: DiscordNotifierLink): void {
    this.link = link;
  }

  async orderChanged(order: OrderRecord, change: { from: OrderStatus | null; to: OrderStatus; note?: string | undefined }): Promise<void> {
    const link = this.link;
    if (!link || order.channel !== 'discord' || !order.customerId || change.from === null) return;
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
    const text = t.m.orderUpdate({ number: order.number, status: t.m.status({ status: change.to }) });
    const button = toButton({ label: t.m.menuOrders(), action: encodeAction({ op: 'orders' }) });
    const m: DiscordMessage = { content: change.note ? `${text}\n${change.note}` : text, embeds: [], components: button ? buttonRows([[button]], LIMITS.actionRows) : [], private: true };
    try {
      await sendDirectMessage(link.rest, identity.externalUserId, m);
    } catch (err) {
      if (!cannotDirectMessage(err)) throw err;
      link.log.warn({ order: order.number }, 'discord buyer cannot be messaged; marked unreachable');
      await link.customers.markUnreachable(order.storeId, 'discord', identity.externalUserId, new Date());
    }
  }
}
