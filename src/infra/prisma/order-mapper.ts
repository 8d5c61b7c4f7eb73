import type { Prisma } from '../db/generated/sqlite/client.ts';
import { isOrderStatus } from '../../orders/order-state.ts';
import type { DeliverableKind, OrderRecord } from '../../orders/orders.types.ts';
import { parseStoredAddress } from '../../cart/shipping-address.ts';

export const orderInclude = {
  items: { orderBy: { id: 'asc' } },
  events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  payments: { orderBy: { createdAt: 'desc' } },
  deliveries: { orderBy: [{ createdAt: 'asc' }, { slot: 'asc' }] },
} satisfies Prisma.OrderInclude;

type OrderRow = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

export function toOrder(o: OrderRow): OrderRecord {
  if (!isOrderStatus(o.status)) throw new Error(`order ${o.id} has unknown status ${o.status}`);
  return {
    id: o.id,
    storeId: o.storeId,
    number: o.number,
    customerId: o.customerId,
    cartId: o.cartId,
    status: o.status,
    currency: o.currency,
    subtotal: o.subtotal,
    discountTotal: o.discountTotal,
    shippingTotal: o.shippingTotal,
    taxTotal: o.taxTotal,
    total: o.total,
    channel: o.channel,
    email: o.email,
    idempotencyKey: o.idempotencyKey,
    requestHash: o.requestHash,
    reservedUntil: o.reservedUntil,
    shippingAddress: parseStoredAddress(o.shippingAddress),
    trackingNumber: o.trackingNumber,
    carrierUrl: o.carrierUrl,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    items: o.items.map((i) => ({
      id: i.id,
      variantId: i.variantId,
      sku: i.sku,
      title: i.title,
      variantTitle: i.variantTitle,
      unitPrice: i.unitPrice,
      quantity: i.quantity,
      lineTotal: i.lineTotal,
      currency: i.currency,
    })),
    events: o.events.map((e) => ({ id: e.id, fromStatus: e.fromStatus, toStatus: e.toStatus, actor: e.actor, note: e.note, createdAt: e.createdAt })),
    payments: o.payments.map((p) => ({
      id: p.id,
      provider: p.provider,
      providerRef: p.providerRef,
      status: p.status,
      amount: p.amount,
      refunded: p.refunded,
      currency: p.currency,
      url: p.url,
    })),
    deliveries: o.deliveries.map((d) => ({
      id: d.id,
      slot: d.slot,
      deliverableId: d.deliverableId,
      productTitle: d.productTitle,
      kind: deliverableKind(d.kind),
      label: d.label,
      content: d.content,
      fulfilledAt: d.fulfilledAt,
      sentAt: d.sentAt,
    })),
  };
}

function deliverableKind(k: string): DeliverableKind {
  return k === 'file' || k === 'text' ? k : 'license_key';
}
