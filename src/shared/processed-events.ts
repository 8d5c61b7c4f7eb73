/**
 * Exactly-once handling of inbound events (Telegram updates, Discord
 * interactions, payment webhooks): platforms deliver at least once, so each
 * event id is claimed durably before its effect.
 */
export interface ProcessedEvents {
  /** True the first time (provider, eventId) is claimed, on any instance; false for a redelivery. */
  claim(provider: string, eventId: string): Promise<boolean>;
  /** Gives a claim back when handling failed before any effect, so a redelivery is handled. */
  release(provider: string, eventId: string): Promise<void>;
  /** Deletes claims made before `before` (no platform redelivers that late); returns how many. */
  prune(before: Date): Promise<number>;
}

/**
 * How long claims are kept. The longest redelivery window among the
 * platforms is Stripe's (retries for up to 3 days); Telegram gives up after
 * 24 hours, Discord within minutes. A month covers them all with room.
 */
export const PROCESSED_EVENTS_KEPT_MS = 30 * 24 * 3600_000;
