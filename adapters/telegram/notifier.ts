import type { Api } from 'grammy';
import { InlineKeyboard } from 'grammy';
import { encodeAction } from '../../src/conversation/actions.ts';
import { resolveLocale, translator } from '../../src/conversation/i18n/i18n.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { OrderStatus } from '../../src/orders/order-state.ts';
import type { OrderNotifier } from '../../src/orders/orders.ports.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { AppError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { ShopRef } from './telegram.types.ts';

export interface NotifierLink {
  api: Api;
  customers: CustomerService;
  shop: ShopRef;
  log: Logger;
}

/**
 * Tells a Telegram buyer about their order's transitions, in their language,
 * through the bot's rate-aware sender. It is created before the container
 * (which needs a notifier) and linked to the bot once the bot exists; until
 * then, and when Telegram is off, it does nothing.
 */
export class TelegramOrderNotifier implements OrderNotifier {
  private link: NotifierLink | null = null;

  attach(link: NotifierLink): void {
    this.link = link;
  }

  async orderChanged(order: OrderRecord, change: { from: OrderStatus | null; to: OrderStatus }): Promise<void> {
    const link = this.link;
    if (!link || order.channel !== 'telegram' || !order.customerId || change.from === null) return;
    const customer = await link.customers.get(order.storeId, order.customerId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    });
    const identity = customer?.identities.find((i) => i.channel === 'telegram');
    if (!customer || !identity) return;
    if (identity.unreachableAt) {
      link.log.info({ order: order.number }, 'telegram buyer unreachable; order update not sent');
      return;
    }
    const store = await link.shop.get();
    const t = translator(resolveLocale(identity.locale ?? customer.locale, store.id === order.storeId ? store.locale : 'en'));
    const text = t.m.orderUpdate({ number: order.number, status: t.m.status({ status: change.to }) });
    const keyboard = new InlineKeyboard().text(t.m.menuOrders(), encodeAction({ op: 'orders' }));
    // A private chat's id is the user's id; a 403 (blocked) marks them unreachable in the sender.
    await link.api.sendMessage(identity.chatId ?? identity.externalUserId, text, { reply_markup: keyboard }).catch((err: unknown) => {
      link.log.warn({ err, order: order.number }, 'telegram order update not delivered');
    });
  }
}
