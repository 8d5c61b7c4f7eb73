import type { Api } from 'grammy';
import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import { resolveLocale, translator } from '../../src/conversation/i18n/i18n.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { DeliveryNotice, OrderChange, OrderNotifier } from '../../src/orders/orders.ports.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { staffEventOf, staffNoticeText, staffTargets } from '../../src/orders/staff-notice.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { clip, MAX_TEXT } from './html.ts';

export interface StaffNotifierLink {
  /** The bot's api: every call goes through the rate-aware sender (pacing, 429 retry). */
  api: Api;
  catalog: CatalogService;
  customers: CustomerService;
  /** STAFF_NOTIFY's telegram target, used when a store sets none. */
  defaultChatId: string | undefined;
  log: Logger;
}

/** A buyer's display name for staff, if the customer is known. */
export async function buyerName(customers: CustomerService, order: OrderRecord): Promise<string | null> {
  if (!order.customerId) return null;
  const c = await customers.get(order.storeId, order.customerId).catch(() => null);
  if (!c) return null;
  const id = c.identities.find((i) => i.channel === order.channel);
  return c.displayName || (id?.username ? `@${id.username}` : null);
}

/**
 * Tells a store's staff in their Telegram group or channel about paid orders,
 * return requests and license keys owed (store setting staffTelegramChatId,
 * else STAFF_NOTIFY). A failing notice is logged and never breaks the order.
 */
export class TelegramStaffNotifier implements OrderNotifier {
  private link: StaffNotifierLink | null = null;

  attach(link: StaffNotifierLink): void {
    this.link = link;
  }

  async orderChanged(order: OrderRecord, change: OrderChange): Promise<void> {
    const kind = staffEventOf(change);
    if (kind) await this.post(order, { kind, note: change.note });
  }

  async goodsDelivered(order: OrderRecord, notice: DeliveryNotice): Promise<void> {
    if (notice.pending.length) await this.post(order, { kind: 'keys_owed', notice });
  }

  private async post(order: OrderRecord, event: Parameters<typeof staffNoticeText>[2]): Promise<void> {
    const link = this.link;
    if (!link) return;
    try {
      const store = await link.catalog.storeById(order.storeId);
      const chat = staffTargets(store, { telegram: link.defaultChatId }).telegram;
      if (!chat) return;
      const text = staffNoticeText(translator(resolveLocale(store.locale, 'en')), order, event, await buyerName(link.customers, order));
      await link.api.sendMessage(chat, clip(text, MAX_TEXT));
    } catch (err) {
      link.log.warn({ err, order: order.number, kind: event.kind }, 'telegram staff notice not delivered');
    }
  }
}
