import type { Clock } from '../shared/time.ts';
import type { ConsentStatus } from './consent-gate.ts';
import type { ConsentRepository } from './consent.ports.ts';
import { marketingChannels, type MarketingChannel } from './segment.ts';

export const isMarketingChannel = (c: string): c is MarketingChannel => (marketingChannels as readonly string[]).includes(c);

/**
 * The consent ledger: opt-in and opt-out per customer and channel, with the
 * source and time of every change. Nobody is subscribed until they say so;
 * an opt-out holds from the moment it is recorded.
 */
export class ConsentService {
  constructor(
    private readonly repo: ConsentRepository,
    private readonly clock: Clock,
  ) {}

  async status(customerId: string, channel: MarketingChannel): Promise<ConsentStatus> {
    const rec = (await this.repo.forCustomer(customerId)).find((r) => r.channel === channel);
    return rec?.status ?? 'unknown';
  }

  /** True when this changed something (a second /subscribe is not a new opt-in). */
  subscribe(storeId: string, customerId: string, channel: MarketingChannel, source: string): Promise<boolean> {
    return this.repo.set(storeId, customerId, { channel, status: 'subscribed', source, changedAt: this.clock.now() });
  }

  unsubscribe(storeId: string, customerId: string, channel: MarketingChannel, source: string): Promise<boolean> {
    return this.repo.set(storeId, customerId, { channel, status: 'unsubscribed', source, changedAt: this.clock.now() });
  }

  forCustomer(customerId: string) {
    return this.repo.forCustomer(customerId);
  }

  history(customerId: string) {
    return this.repo.history(customerId);
  }
}
