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
  createdAt: Date;
  updatedAt: Date;
  items: OrderItemRecord[];
  events: OrderEventRecord[];
  payments: PaymentRecord[];
}

export interface OrderListQuery {
  status?: OrderStatus | undefined;
  customerId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}
