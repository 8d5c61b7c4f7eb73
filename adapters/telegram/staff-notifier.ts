import type { Api } from 'grammy';
import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { staffTargets } from '../../src/orders/staff-notice.ts';
import { StaffNotifierBase } from '../../src/orders/staff-notifier-base.ts';
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

/**
 * Tells a store's staff in their Telegram group or channel about paid orders,
 * return requests and license keys owed (store setting staffTelegramChatId,
 * else STAFF_NOTIFY), through the bot's rate-aware sender.
 */
export class TelegramStaffNotifier extends StaffNotifierBase {
  protected readonly channel = 'telegram';
  private link: StaffNotifierLink | null = null;

  attach(link: StaffNotifierLink): void {
    this.link = link;
  }

  protected deps() {
    return this.link;
  }

  protected target(store: StoreRecord) {
    return staffTargets(store, { telegram: this.link?.defaultChatId }).telegram;
  }

  protected async deliver(chat: string, text: string) {
    await this.link?.api.sendMessage(chat, clip(text, MAX_TEXT));
  }
}
