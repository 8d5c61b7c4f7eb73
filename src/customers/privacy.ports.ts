/** Everything chatshop keeps about one customer, as shown by /privacy and GET …/personal-data. */
export interface PersonalData {
  customer: { displayName: string; email: string | null; phone: string | null; locale: string | null; timeZone: string | null; tags: string[]; createdAt: Date };
  identities: { channel: string; username: string | null; locale: string | null; since: Date }[];
  consent: { channel: string; status: string; source: string; changedAt: Date }[];
  orders: number;
  carts: number;
  /** Views, searches, cart events kept for recommendations and analytics. */
  events: number;
  /** Chats whose memory (last results, product in focus) is kept. */
  conversations: number;
  /** "Notify me" requests still waiting for stock. */
  stockAlerts: number;
  /** Marketing messages planned or sent to the customer: broadcast deliveries and automation messages (reminders, alerts, review requests). */
  messages: number;
  /** Group deals the customer joined. */
  groupDeals: number;
  /** The customer's product reviews, newest first. */
  reviews: { productId: string; productTitle: string; orderId: string; rating: number; text: string | null; createdAt: Date }[];
}

export interface ErasureReport {
  ordersAnonymised: number;
  eventsAnonymised: number;
  conversationsDeleted: number;
  cartsDeleted: number;
  /** Reviews whose words were deleted and whose stars stay without the customer. */
  reviewsAnonymised: number;
}

export interface PersonalDataRepository {
  export(storeId: string, customerId: string): Promise<PersonalData | null>;
  /**
   * Erases the customer's personal data in one transaction: the customer, their
   * identities, consent, carts, chat memory, stock alerts, marketing messages
   * and group-deal memberships are deleted; orders stay for the
   * books without customer, e-mail or address; events stay without who made them;
   * reviews lose their text and keep their stars without the customer (a
   * product's average does not change).
   */
  erase(storeId: string, customerId: string): Promise<ErasureReport | null>;
}
