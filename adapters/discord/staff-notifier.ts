import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { staffTargets } from '../../src/orders/staff-notice.ts';
import { StaffNotifierBase } from '../../src/orders/staff-notifier-base.ts';
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
 * STAFF_NOTIFY), through discord.js REST.
 */
export class DiscordStaffNotifier extends StaffNotifierBase {
  protected readonly channel = 'discord';
  private link: DiscordStaffNotifierLink | null = null;

  attach(link: DiscordStaffNotifierLink): void {
    this.link = link;
  }

  protected deps() {
    return this.link;
  }

  protected target(store: StoreRecord) {
    return staffTargets(store, { discord: this.link?.defaultChannelId }).discord;
  }

  protected async deliver(channel: string, text: string) {
    // No pings from buyer-provided text (names, reasons).
    await this.link?.rest.post(Routes.channelMessages(channel), { body: { content: cut(text, LIMITS.content), allowed_mentions: { parse: [] } } });
  }
}
