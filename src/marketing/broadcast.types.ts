import type { MarketingChannel, Segment } from './segment.ts';

export const broadcastStatuses = ['draft', 'scheduled', 'sending', 'done', 'cancelled'] as const;
export type BroadcastStatus = (typeof broadcastStatuses)[number];

export interface BroadcastCounts {
  recipients: number;
  sent: number;
  failed: number;
  blocked: number;
  skipped: number;
}

export interface BroadcastRecord extends BroadcastCounts {
  id: string;
  storeId: string;
  createdBy: string;
  status: BroadcastStatus;
  text: string;
  imageUrl: string | null;
  productId: string | null;
  segment: Segment;
  scheduledAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
}

/** One planned recipient. */
export interface Recipient {
  customerId: string;
  channel: MarketingChannel;
  /** Chat or user id to send to. */
  address: string;
}

/** A delivery the runner has claimed. */
export interface ClaimedDelivery extends Recipient {
  id: string;
  broadcastId: string;
  storeId: string;
  attempts: number;
}

/** What a channel sender reports for one message. */
export type SendOutcome =
  | { kind: 'sent'; messageId: string | null }
  /** The platform refuses this recipient for good (bot blocked, cannot DM). */
  | { kind: 'blocked' }
  /** Rate limited: try again after this many seconds (all sends of the channel pause). */
  | { kind: 'retry'; afterSeconds: number }
  /** Transient failure (5xx, network): try again later, a few times. */
  | { kind: 'error'; message: string };

export type DeliveryResult =
  | { status: 'sent'; messageId: string | null }
  | { status: 'blocked' | 'failed' | 'skipped'; error: string }
  | { status: 'pending'; retryAt: Date; error: string };

/** The message every channel renders: text, an optional image and product, and always an unsubscribe button. */
export interface BroadcastMessage {
  broadcastId: string;
  storeId: string;
  text: string;
  imageUrl: string | null;
  product: { id: string; title: string; price: string } | null;
  /**
   * Extra rows of buttons the shopper can act on (an engine action payload
   * each, from src/conversation/actions.ts, already labelled in the
   * shopper's language): "View cart", the stars of a review request. Drawn
   * above the product's button; Unsubscribe always comes last.
   */
  actions?: { label: string; action: string }[][] | undefined;
}
