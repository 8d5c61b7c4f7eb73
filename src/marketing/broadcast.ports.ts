import type { BroadcastMessage, BroadcastRecord, ClaimedDelivery, DeliveryResult, Recipient, SendOutcome } from './broadcast.types.ts';
import type { ConsentState } from './consent-gate.ts';
import type { MarketingChannel, Segment } from './segment.ts';

export interface NewBroadcast {
  createdBy: string;
  text: string;
  imageUrl: string | null;
  productId: string | null;
  segment: Segment;
}

export interface BroadcastRepository {
  create(storeId: string, input: NewBroadcast): Promise<BroadcastRecord>;
  get(storeId: string, id: string): Promise<BroadcastRecord | null>;
  list(storeId: string, limit: number): Promise<BroadcastRecord[]>;
  /**
   * draft → scheduled (or sending when `scheduledAt` is null), planning one
   * delivery per recipient in the same transaction; false when it is no longer a draft.
   */
  confirm(id: string, recipients: Recipient[], scheduledAt: Date | null, now: Date): Promise<boolean>;
  /** Stops a broadcast that is not finished; its pending deliveries become skipped. */
  cancel(storeId: string, id: string, now: Date): Promise<boolean>;
  /** Scheduled broadcasts whose time has come start sending; returns how many. */
  startDue(now: Date): Promise<number>;
  /**
   * Claims up to `limit` due pending deliveries of sending broadcasts on this
   * channel: each moves to `sending` (leased until `leaseUntil`) before any
   * message goes out, so no two runners send the same one.
   */
  claim(channel: MarketingChannel, now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]>;
  /** Records a claimed delivery's outcome and the broadcast's counters together. */
  finish(delivery: ClaimedDelivery, result: DeliveryResult, now: Date): Promise<void>;
  /**
   * Deliveries still `sending` after their lease (the process died mid-send)
   * are marked failed, never sent again: a message may have gone out.
   */
  expireLeases(now: Date): Promise<number>;
  /** Sending broadcasts with nothing left to send are done; returns them. */
  completeFinished(now: Date): Promise<BroadcastRecord[]>;
  /** Marketing messages the customer was sent since `since` (frequency cap). */
  sentSince(customerId: string, since: Date): Promise<number>;
}

export interface RecipientFinder {
  /** Subscribed, reachable customers matching the segment, one per channel they subscribed on. */
  find(storeId: string, segment: Segment): Promise<Recipient[]>;
  /** Product and category slugs the segment names that the store does not have. */
  unknownRefs(storeId: string, segment: Segment): Promise<string[]>;
}

/** One channel's way to deliver a marketing message (adapters implement it). */
export interface MarketingSender {
  readonly channel: MarketingChannel;
  /** Messages per second this channel may take from marketing (below the platform's limit). */
  readonly perSecond: number;
  send(address: string, message: BroadcastMessage): Promise<SendOutcome>;
}

/** A recipient's consent, reachability and time zone right now (opt-outs mid-send count). */
export interface AudienceState {
  state(customerId: string, channel: MarketingChannel): Promise<ConsentState>;
  /** The platform refused this recipient for good (blocked bot, no DMs): suppress them until they are back. */
  markUnreachable(customerId: string, channel: MarketingChannel, at: Date): Promise<void>;
}
