import type { Money } from '../shared/money.ts';
import type { MarketingChannel } from './segment.ts';

/** Days after a click in which an order is credited to the broadcast (last click wins nothing: first click per recipient). */
export const ATTRIBUTION_DAYS = 7;

export interface BroadcastResults {
  /** Recipients who pressed the Buy button. */
  clicks: number;
  /** Paid orders placed by those recipients within ATTRIBUTION_DAYS of their click. */
  orders: number;
  revenue: Money[];
}

export interface BroadcastResultsPort {
  /** Records the first press of a broadcast's Buy button by this recipient; later presses change nothing. */
  clicked(broadcastId: string, customerId: string, channel: MarketingChannel, at: Date): Promise<void>;
  results(broadcastId: string): Promise<BroadcastResults>;
}
