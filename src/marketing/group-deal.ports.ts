import type { GroupDealMemberRecord, GroupDealRecord, MemberNotice, MemberOutcome, NewGroupDeal } from './group-deal.types.ts';

export interface GroupDealRepository {
  create(d: NewGroupDeal): Promise<GroupDealRecord>;
  get(storeId: string, id: string): Promise<GroupDealRecord | null>;
  /** Any store's deal (button taps carry only the id). */
  byId(id: string): Promise<GroupDealRecord | null>;
  list(storeId: string, limit: number): Promise<GroupDealRecord[]>;
  setMessage(id: string, messageId: string): Promise<void>;
  /** Joins (or re-joins); false when this customer was already in. */
  join(dealId: string, m: { customerId: string; channel: string; externalUserId: string }): Promise<boolean>;
  /** Leaves; false when the customer was not in. */
  leave(dealId: string, customerId: string): Promise<boolean>;
  /** The deal's status as stored now (a join re-checks it after writing). */
  statusOf(dealId: string): Promise<string | null>;
  /** Claims the right to edit the posted count: only when shownAt is older than `before`. */
  claimShown(dealId: string, count: number, now: Date, before: Date): Promise<boolean>;
  /** Open deals whose posted count differs from the joiners now. */
  staleShown(limit: number): Promise<GroupDealRecord[]>;
  /**
   * Deals to close, each claimed by one caller in one conditional UPDATE: open
   * ones past their end, or closing ones whose claim is older than `staleBefore`.
   */
  claimDue(now: Date, staleBefore: Date, limit: number): Promise<GroupDealRecord[]>;
  joinedMembers(dealId: string): Promise<GroupDealMemberRecord[]>;
  setOutcome(memberId: string, outcome: MemberOutcome, orderId: string | null): Promise<void>;
  /** Claims one member's notice (at most once); false when already sent. */
  claimNotice(memberId: string, now: Date): Promise<boolean>;
  finish(dealId: string, status: 'succeeded' | 'failed', now: Date): Promise<void>;
}

/** Posts, updates and closes deals in the chats (Telegram, Discord); each ignores the other channels. */
export interface GroupDealNotifier {
  /** Posts the deal with Join and Leave buttons to its chat; the message id, or null when it is not this notifier's channel. */
  post(deal: GroupDealRecord): Promise<string | null>;
  /** The posted message should show this deal (count, or its outcome once closed). */
  dealChanged(deal: GroupDealRecord): Promise<void>;
  /** One joiner's outcome, into their private chat (the payment step when ordered). */
  memberClosed(deal: GroupDealRecord, member: GroupDealMemberRecord, notice: MemberNotice): Promise<void>;
}

/** A sellable variant a deal can be made on. */
export interface DealItem {
  productId: string;
  variantId: string;
  sku: string;
  /** "Classic Hoodie (M / Red)" */
  title: string;
  price: number;
  currency: string;
  /** Units on sale now (on hand minus held). */
  available: number;
  bundle: boolean;
}

/** The variants a product slug or SKU names (none: unknown or not for sale). */
export type DealItemLookup = (storeId: string, ref: string) => Promise<DealItem[]>;
