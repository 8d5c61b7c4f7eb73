import type { CatalogService } from '../catalog/catalog.service.ts';
import type { StoreRecord } from '../catalog/catalog.types.ts';
import { resolveLocale, translator } from '../conversation/i18n/i18n.ts';
import type { CustomerService } from '../customers/customers.service.ts';
import type { Logger } from '../shared/logger.ts';
import type { DeliveryNotice, OrderChange, OrderNotifier } from './orders.ports.ts';
import type { OrderRecord } from './orders.types.ts';
import { staffEventOf, staffNoticeText } from './staff-notice.ts';

export interface StaffNoticeDeps {
  catalog: Pick<CatalogService, 'storeById'>;
  customers: Pick<CustomerService, 'get'>;
  log: Logger;
}

/** A buyer's display name for staff, if the customer is known. */
export async function buyerName(customers: Pick<CustomerService, 'get'>, order: OrderRecord): Promise<string | null> {
  if (!order.customerId) return null;
  const c = await customers.get(order.storeId, order.customerId).catch(() => null);
  if (!c) return null;
  const id = c.identities.find((i) => i.channel === order.channel);
  return c.displayName || (id?.username ? `@${id.username}` : null);
}

/**
 * Tells a store's staff about paid orders, return requests and license keys
 * owed, in the store's language, in the chat the channel names (the store's
 * setting, else STAFF_NOTIFY). A failing notice is logged and never breaks
 * the order. Channels supply where and how to post.
 */
export abstract class StaffNotifierBase implements OrderNotifier {
  protected abstract readonly channel: string;
  /** What posting needs, once the channel is linked; null before. */
  protected abstract deps(): StaffNoticeDeps | null;
  /** The staff chat or channel of this store on this platform, if any. */
  protected abstract target(store: StoreRecord): string | null | undefined;
  protected abstract deliver(target: string, text: string): Promise<void>;

  async orderChanged(order: OrderRecord, change: OrderChange): Promise<void> {
    const kind = staffEventOf(change);
    if (kind) await this.post(order, { kind, note: change.note });
  }

  async goodsDelivered(order: OrderRecord, notice: DeliveryNotice): Promise<void> {
    if (notice.pending.length) await this.post(order, { kind: 'keys_owed', notice });
  }

  private async post(order: OrderRecord, event: Parameters<typeof staffNoticeText>[2]): Promise<void> {
    const deps = this.deps();
    if (!deps) return;
    try {
      const store = await deps.catalog.storeById(order.storeId);
      const target = this.target(store);
      if (!target) return;
      const text = staffNoticeText(translator(resolveLocale(store.locale, 'en')), order, event, await buyerName(deps.customers, order));
      await this.deliver(target, text);
    } catch (err) {
      deps.log.warn({ err, order: order.number, kind: event.kind }, `${this.channel} staff notice not delivered`);
    }
  }
}
