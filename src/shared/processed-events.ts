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
}
