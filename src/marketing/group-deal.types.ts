import type { OrderRecord, PaymentRecord } from '../orders/orders.types.ts';

export type GroupDealStatus = 'open' | 'closing' | 'succeeded' | 'failed';
export type GroupDealChannel = 'telegram' | 'discord';
/** What closing the deal meant for one joiner. */
export type MemberOutcome = 'ordered' | 'sold_out' | 'not_reached';

export interface GroupDealRecord {
  id: string;
  storeId: string;
  productId: string;
  variantId: string;
  sku: string;
  title: string;
  groupPrice: number;
  regularPrice: number;
  currency: string;
  minPeople: number;
  endsAt: Date;
  status: GroupDealStatus;
  createdBy: string;
  channel: GroupDealChannel;
  chatId: string;
  messageId: string | null;
  shownCount: number;
  shownAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  /** Customers joined now. */
  joined: number;
}

export interface GroupDealMemberRecord {
  id: string;
  dealId: string;
  customerId: string;
  channel: GroupDealChannel;
  externalUserId: string;
  status: 'joined' | 'left';
  outcome: MemberOutcome | null;
  orderId: string | null;
  notifiedAt: Date | null;
}

/** A deal as a staff member posts it; the rest of the record is the deal's state. */
export type NewGroupDeal = Pick<
  GroupDealRecord,
  'storeId' | 'productId' | 'variantId' | 'sku' | 'title' | 'groupPrice' | 'regularPrice' | 'currency' | 'minPeople' | 'endsAt' | 'createdBy' | 'channel' | 'chatId'
>;

/** What a joiner is told when the deal closes. */
export type MemberNotice =
  | { kind: 'ordered'; order: OrderRecord; payment: PaymentRecord | null }
  | { kind: 'sold_out' }
  | { kind: 'not_reached' };
