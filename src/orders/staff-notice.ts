import { formatAddress } from '../cart/shipping-address.ts';
import type { StoreRecord } from '../catalog/catalog.types.ts';
import type { Translator } from '../conversation/i18n/i18n.ts';
import type { OrderStatus } from './order-state.ts';
import type { DeliveryNotice } from './orders.ports.ts';
import type { OrderRecord } from './orders.types.ts';

/** Where one store's staff notices go on each platform (the store's own, else the STAFF_NOTIFY default). */
export interface StaffTargets {
  telegram: string | null;
  discord: string | null;
}

export function staffTargets(store: Pick<StoreRecord, 'staffTelegramChatId' | 'staffDiscordChannelId'>, defaults: { telegram?: string | undefined; discord?: string | undefined }): StaffTargets {
  return { telegram: store.staffTelegramChatId ?? defaults.telegram ?? null, discord: store.staffDiscordChannelId ?? defaults.discord ?? null };
}

/** Which order changes the staff hear about. */
export function staffEventOf(change: { from: OrderStatus | null; to: OrderStatus }): 'paid' | 'return_requested' | null {
  if (change.to === 'paid' && change.from === 'pending_payment') return 'paid';
  if (change.to === 'return_requested') return 'return_requested';
  return null;
}

const channelName = (c: string) => c.charAt(0).toUpperCase() + c.slice(1);

/** Items, total and address of an order, one per line. */
function orderLines(order: OrderRecord, t: Translator): string[] {
  const money = (amount: number) => t.money({ amount, currency: order.currency });
  const items = order.items.map((i) => `${i.quantity} × ${i.title}${i.variantTitle ? ` (${i.variantTitle})` : ''} — ${money(i.lineTotal)}`);
  const address = order.shippingAddress ? [t.m.orderShipTo({ address: formatAddress(order.shippingAddress).replace(/\n/g, ', ') })] : [];
  return [...items, t.m.orderTotal({ total: money(order.total) }), ...address];
}

/**
 * The text of a staff notice: a paid order or a return request (order
 * number, buyer channel, items, total, address), or license keys owed.
 */
export function staffNoticeText(
  t: Translator,
  order: OrderRecord,
  event: { kind: 'paid' | 'return_requested'; note?: string | undefined } | { kind: 'keys_owed'; notice: DeliveryNotice },
  buyer: string | null,
): string {
  const channel = channelName(order.channel);
  const who = buyer ? [t.m.staffBuyer({ name: buyer })] : [];
  switch (event.kind) {
    case 'paid':
      return [t.m.staffPaid({ number: order.number, channel }), ...who, ...orderLines(order, t)].join('\n');
    case 'return_requested':
      return [t.m.staffReturnRequested({ number: order.number, channel }), ...who, ...(event.note ? [t.m.staffReturnReason({ reason: event.note })] : []), ...orderLines(order, t)].join('\n');
    case 'keys_owed': {
      const owed = event.notice.pending.map((d) => `• ${d.productTitle}${d.label ? ` (${d.label})` : ''}`);
      return [t.m.staffKeysOwed({ number: order.number, count: event.notice.pending.length }), ...owed].join('\n');
    }
  }
}

/** What the buyer's chat shows for digital goods: each delivery's title and content, and what is owed. */
export function deliveryText(t: Translator, order: OrderRecord, notice: DeliveryNotice): string {
  const lines = notice.delivered.map((d) => `• ${d.productTitle}${d.label ? ` — ${d.label}` : ''}: ${d.content ?? ''}`);
  const owed = notice.pending.length ? [t.m.digitalPending({ count: notice.pending.length })] : [];
  return [t.m.digitalTitle({ number: order.number }), ...lines, ...owed].join('\n');
}
