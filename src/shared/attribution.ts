/**
 * Credit for a shopper's arrival: a campaign link or a friend's referral
 * (signed deep links). Recorded durably when the shopper arrives, so
 * marketing can credit the campaign or the referrer for what follows.
 */
export interface AttributionRecord {
  storeId: string;
  kind: 'campaign' | 'referral';
  /** The customer who arrived (known by then: they were identified). */
  customerId: string | null;
  /** "<channel>:<user id>", as the conversation engine keys the shopper. */
  sessionKey: string;
  channel: string;
  /** The product the link opened, if any. */
  productId?: string | null | undefined;
  campaign?: string | undefined;
  /** "<channel>:<user id>" of the shopper who shared the link. */
  referrer?: string | undefined;
  /** Where the link came from: deep_link (a /start payload) or inline_share (a Buy button posted inline). */
  source: string;
}

export interface AttributionLog {
  record(a: AttributionRecord): Promise<void>;
}
