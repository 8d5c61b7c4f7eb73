import type { Translator } from '../conversation/i18n/i18n.ts';
import type { OrderStatus } from './order-state.ts';
import type { OrderRecord } from './orders.types.ts';

export interface BuyerUpdate {
  text: string;
  /** The carrier's tracking page, for a link button (shipped orders). */
  trackUrl: string | null;
}

/**
 * What the buyer is told about a change of their order: shipping with its
 * tracking number and carrier link, each step of a return, else the new status.
 */
export function buyerUpdate(t: Translator, order: OrderRecord, change: { from: OrderStatus | null; to: OrderStatus; note?: string | undefined }): BuyerUpdate {
  const n = order.number;
  if (change.to === 'shipped' && change.from !== 'return_requested') {
    // The link is also written out, for chats where a button cannot carry it.
    const tracking = [order.trackingNumber, order.carrierUrl].filter(Boolean).join(' — ');
    const lines = [t.m.orderUpdate({ number: n, status: t.m.status({ status: 'shipped' }) }), ...(tracking ? [t.m.trackingNumber({ number: tracking })] : [])];
    return { text: lines.join('\n'), trackUrl: order.carrierUrl };
  }
  if (change.to === 'return_requested') return { text: t.m.returnRequested({ number: n }), trackUrl: null };
  if (change.from === 'return_requested') {
    if (change.to === 'returned') return { text: t.m.returnApproved({ number: n }), trackUrl: null };
    return { text: t.m.returnDeclined({ number: n, reason: declineReason(change.note) }), trackUrl: null };
  }
  const text = t.m.orderUpdate({ number: n, status: t.m.status({ status: change.to }) });
  return { text: change.note && change.to === 'cancelled' && /refunded/.test(change.note) ? `${text}\n${change.note}` : text, trackUrl: null };
}

/** The seller's words after the "return declined" prefix the service puts on the note. */
export function declineReason(note: string | undefined): string {
  return (note ?? '').replace(/^return declined:?\s*/i, '').trim();
}
