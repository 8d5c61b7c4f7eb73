import type { Clock } from '../../shared/time.ts';
import { automationSettingsOf } from '../automation-settings.ts';
import type { AutomationRepository, ProductLookup, StockAlertRequest } from '../automation.ports.ts';
import { marketingChannels, type MarketingChannel } from '../segment.ts';

export interface StockAlertStore {
  /** Whether the customer already waits for this variant. */
  waiting(customerId: string, variantId: string): Promise<boolean>;
  request(r: Omit<StockAlertRequest, 'id'>): Promise<void>;
}

export type NotifyMeResult = 'requested' | 'already_requested' | 'in_stock' | 'switched_off' | 'no_channel' | 'unknown_variant';

/**
 * "Notify me" on a sold-out variant: the tap is the shopper's opt-in for one
 * alert, sent on the channel they tapped on when the variant is back.
 */
export class StockAlertService {
  constructor(
    private readonly store: StockAlertStore,
    private readonly settings: Pick<AutomationRepository, 'settings'>,
    private readonly productOf: ProductLookup,
    private readonly clock: Clock,
  ) {}

  async notifyMe(storeId: string, customerId: string, channel: string, variantId: string, productId: string): Promise<NotifyMeResult> {
    if (!(marketingChannels as readonly string[]).includes(channel)) return 'no_channel';
    if (!automationSettingsOf(await this.settings.settings(storeId)).backInStock.enabled) return 'switched_off';
    const variant = (await this.productOf(storeId, productId))?.variants.find((v) => v.id === variantId);
    if (!variant) return 'unknown_variant';
    if (variant.available > 0) return 'in_stock';
    if (await this.store.waiting(customerId, variantId)) return 'already_requested';
    await this.store.request({ storeId, customerId, variantId, productId, channel: channel as MarketingChannel, createdAt: this.clock.now() });
    return 'requested';
  }
}
