import type { MarketingChannel } from './segment.ts';

export interface ConsentRecord {
  channel: MarketingChannel;
  status: 'subscribed' | 'unsubscribed';
  source: string;
  changedAt: Date;
}

export interface ConsentRepository {
  /** The customer's consent per channel (channels never asked are absent). */
  forCustomer(customerId: string): Promise<ConsentRecord[]>;
  /**
   * Sets the consent and appends it to the ledger, in one transaction; false
   * (and nothing written) when it already had that status.
   */
  set(storeId: string, customerId: string, change: ConsentRecord): Promise<boolean>;
  /** The ledger, oldest first. */
  history(customerId: string): Promise<(ConsentRecord & { at: Date })[]>;
}
