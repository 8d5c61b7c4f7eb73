import type { DeliveryResult } from './broadcast.types.ts';
import type { MarketingChannel } from './segment.ts';

export const automationKinds = ['abandoned_cart', 'back_in_stock', 'price_drop', 'review_request'] as const;
export type AutomationKind = (typeof automationKinds)[number];

/** A message an automation decided to send, planned once per (kind, triggerKey). */
export interface PlannedMessage {
  storeId: string;
  kind: AutomationKind;
  /** What it is sent once for: the cart, the alert request, "<drop>:<customer>", the order. */
  triggerKey: string;
  customerId: string;
  channel: MarketingChannel;
  /** Chat or user id to send to. */
  address: string;
  /** The cart, alert request, price drop or order it is about. */
  subjectId: string;
}

export interface ClaimedMessage extends PlannedMessage {
  id: string;
  attempts: number;
  /** When it was planned (the cart must not have changed since). */
  createdAt: Date;
}

/** How one automation message ended, recorded as a broadcast delivery's is. */
export type MessageResult = DeliveryResult;

export interface StoreAutomations {
  storeId: string;
  /** The stored JSON (see automation-settings.ts). */
  automations: unknown;
}

/** A waiting "Notify me" request. */
export interface StockAlertRequest {
  id: string;
  storeId: string;
  customerId: string;
  variantId: string;
  productId: string;
  channel: MarketingChannel;
  createdAt: Date;
}

/** Durable state of the automations: what is planned, claimed and sent. */
export interface AutomationRepository {
  stores(): Promise<StoreAutomations[]>;
  settings(storeId: string): Promise<unknown>;
  saveSettings(storeId: string, settings: unknown): Promise<void>;
  /** Inserts the messages not planned yet (unique kind + triggerKey); returns how many were new. */
  plan(messages: readonly PlannedMessage[]): Promise<number>;
  /** Moves up to `limit` due pending messages to `sending`, each by one conditional update, so no two runners take the same. */
  claim(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedMessage[]>;
  finish(id: string, result: MessageResult, now: Date): Promise<void>;
  /** Messages still `sending` after their lease are failed, never sent again (one may have gone out). */
  expireLeases(now: Date): Promise<number>;
  /** Marketing messages (broadcasts and automations) the customer was sent since `since`. */
  sentSince(customerId: string, since: Date): Promise<number>;
  /** Where the customer can be messaged on the channel (null: nowhere). */
  addressOf(customerId: string, channel: MarketingChannel): Promise<string | null>;
  /** The customer's language, else the store's. */
  localeOf(customerId: string): Promise<string>;
  /** Whether the customer opted out on the channel after `since` (the consent ledger). */
  optedOutSince(customerId: string, channel: MarketingChannel, since: Date): Promise<boolean>;
}

/** Finds what each automation should send now. */
export interface AutomationTriggers {
  /** Open carts with items on Telegram/Discord, untouched since `idleSince` (and not before `notBefore`), of subscribed customers, not reminded yet. */
  abandonedCarts(storeId: string, idleSince: Date, notBefore: Date): Promise<PlannedMessage[]>;
  /** Delivered orders of subscribed customers, delivered between `notBefore` and `deliveredBefore`, not asked yet. */
  deliveredOrders(storeId: string, deliveredBefore: Date, notBefore: Date): Promise<PlannedMessage[]>;
  waitingStockAlerts(storeId: string): Promise<StockAlertRequest[]>;
  /** Marks requests done (their alert is planned). */
  completeStockAlerts(ids: readonly string[], now: Date): Promise<void>;
  /**
   * Compares the store's active variant prices with the last seen ones and
   * records a drop per product that got cheaper (one conditional update per
   * variant, so two runners record it once); returns the unplanned drops.
   */
  detectPriceDrops(storeId: string, now: Date): Promise<{ id: string; productId: string }[]>;
  /** Subscribed, reachable customers (one channel each) who viewed the product since `since`. */
  recentViewers(storeId: string, productId: string, since: Date): Promise<{ customerId: string; channel: MarketingChannel; address: string }[]>;
  markDropPlanned(dropId: string, now: Date): Promise<void>;
}

/** What a message is about, read right before it is sent (null: no longer true, so it is skipped). */
export type AutomationSubject =
  | { kind: 'abandoned_cart'; items: { title: string; quantity: number }[]; firstProductId: string }
  | { kind: 'back_in_stock'; productId: string; variantLabel: string; requestedAt: Date }
  | { kind: 'price_drop'; productId: string; from: number; to: number; currency: string }
  | { kind: 'review_request'; orderNumber: number; firstProductId: string | null };

export interface AutomationSubjects {
  subject(m: ClaimedMessage): Promise<AutomationSubject | null>;
}

/** A product as an alert shows it, with each variant's stock and price now. */
export interface ProductInfo {
  id: string;
  title: string;
  minPrice: number;
  currency: string;
  variants: { id: string; label: string; price: number; available: number }[];
}
export type ProductLookup = (storeId: string, productId: string) => Promise<ProductInfo | null>;
