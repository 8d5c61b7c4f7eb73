import type { ShippingAddress } from '../cart/shipping-address.ts';
import type { OrderStatus } from './order-state.ts';

export interface OrderItemRecord {
  id: string;
  variantId: string | null;
  sku: string;
  title: string;
  variantTitle: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  currency: string;
}

export interface OrderEventRecord {
  id: string;
  fromStatus: string | null;
  toStatus: string;
  actor: string;
  note: string | null;
  createdAt: Date;
}

export interface PaymentRecord {
  id: string;
  provider: string;
  providerRef: string | null;
  status: string;
  amount: number;
  refunded: number;
  currency: string;
  url: string | null;
}

export type DeliverableKind = 'file' | 'text' | 'license_key';

/** Digital goods handed to the buyer of a paid order (one per item, deliverable and key). */
export interface OrderDeliveryRecord {
  id: string;
  slot: string;
  deliverableId: string;
  productTitle: string;
  kind: DeliverableKind;
  label: string;
  /** The URL, text or license key; null while a key pool is empty (it follows). */
  content: string | null;
  fulfilledAt: Date | null;
  sentAt: Date | null;
}

export interface OrderRecord {
  id: string;
  storeId: string;
  number: number;
  customerId: string | null;
  cartId: string | null;
  status: OrderStatus;
  currency: string;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  total: number;
  channel: string;
  email: string | null;
  idempotencyKey: string;
  requestHash: string;
  reservedUntil: Date | null;
  shippingAddress: ShippingAddress | null;
  trackingNumber: string | null;
  carrierUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
  items: OrderItemRecord[];
  events: OrderEventRecord[];
  payments: PaymentRecord[];
  deliveries: OrderDeliveryRecord[];
}

/** An order as a list of a shopper's orders shows it: no lines, payments or history. */
export type OrderSummary = Pick<OrderRecord, 'id' | 'number' | 'status' | 'total' | 'currency' | 'createdAt'>;

export interface OrderListQuery {
  status?: OrderStatus | undefined;
  customerId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}
