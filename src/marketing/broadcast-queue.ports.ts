import type { BroadcastRepository } from './broadcast.ports.ts';
import type { ClaimedDelivery } from './broadcast.types.ts';
import type { MarketingChannel } from './segment.ts';

/** What a shared queue (BullMQ) needs beyond the embedded runner: due ids to enqueue, and claiming one by id right before its send. */
export interface QueuedBroadcastRepository extends BroadcastRepository {
  /** Ids of due pending deliveries of sending broadcasts on this channel; nothing is claimed. */
  due(channel: MarketingChannel, now: Date, limit: number): Promise<string[]>;
  /** pending → sending (leased until `leaseUntil`) when still due and its broadcast still sending; null when not (sent, claimed elsewhere, cancelled). */
  claimById(id: string, now: Date, leaseUntil: Date): Promise<ClaimedDelivery | null>;
}
