/** What a referral reward needs to know, from the store's records. */
export interface ReferralRepository {
  /** The first referral attribution of this customer: who shared the link ("<channel>:<user id>") and when it was followed. */
  referralOf(storeId: string, customerId: string): Promise<{ referrer: string; at: Date } | null>;
  /** The customer behind "<channel>:<user id>" in this store. */
  customerByIdentity(storeId: string, key: string): Promise<string | null>;
  customerCreatedAt(customerId: string): Promise<Date | null>;
  /** Orders the customer has bought (all but unpaid and cancelled). */
  purchasedOrders(storeId: string, customerId: string): Promise<number>;
  /** E-mails, phones and "line1|postal code|country" addresses from a customer's orders. */
  contactsOf(storeId: string, customerId: string): Promise<Set<string>>;
}

/** Tells a referrer about their reward, in the chat the referral came from. */
export interface ReferrerNotifier {
  rewarded(referrer: string, text: { code: string; what: string; until: Date }): Promise<void>;
}
