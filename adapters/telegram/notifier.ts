import type { Api } from 'grammy';
import { InlineKeyboard } from 'grammy';
import { encodeAction } from '../../src/conversation/actions.ts';
import { resolveLocale, translator, type Translator } from '../../src/conversation/i18n/i18n.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import { buyerUpdate } from '../../src/orders/buyer-notice.ts';
import type { DeliveryNotice, OrderChange, OrderNotifier } from '../../src/orders/orders.ports.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { deliveryText } from '../../src/orders/staff-notice.ts';
import { AppError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { clip, MAX_TEXT } from './html.ts';
import { isPublicUrl } from './keyboard.ts';
import type { ShopRef } from './telegram.types.ts';

export interface NotifierLink {
  api: Api;
  customers: CustomerService;
  shop: ShopRef;
  log: Logger;
}

/**
 * Tells a Telegram buyer about their order's transitions (shipping with the
 * tracking number and a carrier link button, each step of a return) and
 * hands over digital goods, in their language, through the bot's rate-aware
 * sender. It is created before the container (which needs a notifier) and
 * linked to the bot once the bot exists; until then, and when Telegram is
 * off, it does nothing.
 */
export class TelegramOrderNotifier implements OrderNotifier {
  private link: NotifierLink | null = null;

  attach(link: NotifierLink): void {
    this.link = link;
  }

  async orderChanged(order: OrderRecord, change: OrderChange): Promise<void> {
    // The shopper's own return request is answered in the chat they asked in.
    if (change.from === null || change.actor?.startsWith('customer:')) return;
    await this.send(order, (t) => {
      const u = buyerUpdate(t, order, change);
      const keyboard = new InlineKeyboard();
      if (u.trackUrl && isPublicUrl(u.trackUrl)) keyboard.url(t.m.trackParcel(), u.trackUrl).row();
      keyboard.text(t.m.orderView({ number: order.number }), encodeAction({ op: 'order', id: order.id }));
      return { text: u.trackUrl && !isPublicUrl(u.trackUrl) ? `${u.text}\n${u.trackUrl}` : u.text, keyboard };
    });
  }

  async goodsDelivered(order: OrderRecord, notice: DeliveryNotice): Promise<void> {
    await this.send(order, (t) => ({
      text: deliveryText(t, order, notice),
      keyboard: new InlineKeyboard().text(t.m.orderView({ number: order.number }), encodeAction({ op: 'order', id: order.id })),
    }));
  }

  private async send(order: OrderRecord, build: (t: Translator) => { text: string; keyboard: InlineKeyboard }): Promise<void> {
    const link = this.link;
    if (!link || order.channel !== 'telegram' || !order.customerId) return;
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
    const { text, keyboard } = build(t);
    // A private chat's id is the user's id; a 403 (blocked) marks them unreachable in the sender.
    await link.api.sendMessage(identity.chatId ?? identity.externalUserId, clip(text, MAX_TEXT), { reply_markup: keyboard }).catch((err: unknown) => {
      link.log.warn({ err, order: order.number }, 'telegram order update not delivered');
    });
  }
}
