import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import { resolveLocale, translator } from '../../src/conversation/i18n/i18n.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { DeliveryNotice, OrderChange, OrderNotifier } from '../../src/orders/orders.ports.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import { staffEventOf, staffNoticeText, staffTargets } from '../../src/orders/staff-notice.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { cut, LIMITS } from './limits.ts';

export interface DiscordStaffNotifierLink {
  /** discord.js REST with the bot token (rate limits and retries handled there). */
  rest: REST;
  catalog: CatalogService;
  customers: CustomerService;
  /** STAFF_NOTIFY's discord target, used when a store sets none. */
  defaultChannelId: string | undefined;
  log: Logger;
}

/**
 * Tells a store's staff in a Discord channel about paid orders, return
 * requests and license keys owed (store setting staffDiscordChannelId, else
 * STAFF_NOTIFY). A failing notice is logged and never breaks the order.
 */
export class DiscordStaffNotifier implements OrderNotifier {
  private link: DiscordStaffNotifierLink | null = null;

  attach(link: DiscordStaffNotifierLink): void {
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
      const channel = staffTargets(store, { discord: link.defaultChannelId }).discord;
      if (!channel) return;
      const buyer = await buyerOf(link.customers, order);
      const content = cut(staffNoticeText(translator(resolveLocale(store.locale, 'en')), order, event, buyer), LIMITS.content);
      // No pings from buyer-provided text (names, reasons).
      await link.rest.post(Routes.channelMessages(channel), { body: { content, allowed_mentions: { parse: [] } } });
    } catch (err) {
      link.log.warn({ err, order: order.number, kind: event.kind }, 'discord staff notice not delivered');
    }
  }
}

async function buyerOf(customers: CustomerService, order: OrderRecord): Promise<string | null> {
  if (!order.customerId) return null;
  const c = await customers.get(order.storeId, order.customerId).catch(() => null);
  if (!c) return null;
  const id = c.identities.find((i) => i.channel === order.channel);
  return c.displayName || (id?.username ? `@${id.username}` : null);
}
