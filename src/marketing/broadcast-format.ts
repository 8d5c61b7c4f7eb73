import { encodeAction } from '../conversation/actions.ts';
import type { BroadcastRecord } from './broadcast.types.ts';
import type { BroadcastResults } from './broadcast-results.ts';
import { describeSegment } from './segment.ts';
import { formatMoney } from '../shared/money.ts';

/** How sellers compose a broadcast in a chat (Telegram /broadcast, Discord /broadcast). */
export const BROADCAST_USAGE = [
  'Compose: /broadcast <who> | <message>',
  'Who: all · telegram · discord · bought:<product> · category:<slug> · spent>50 · inactive:30 · tag:vip, and optionally product:<slug> (adds its Buy button) and image:<https link>',
  'Example: /broadcast telegram bought:classic-hoodie | Winter is here: 20% off all hoodies with WINTER20',
  'You see a preview and the number of subscribers it reaches before anything is sent.',
].join('\n');

/** "▓▓▓▓░░░░░░ 40/100": how far a broadcast has gone. */
export function progressBar(b: BroadcastRecord): string {
  const done = b.sent + b.failed + b.blocked + b.skipped;
  const share = b.recipients ? done / b.recipients : 1;
  const filled = Math.round(share * 10);
  return `${'▓'.repeat(filled)}${'░'.repeat(10 - filled)} ${done}/${b.recipients}`;
}

/** A broadcast's status for the seller: who, state, progress bar, counts. */
export function broadcastStatus(b: BroadcastRecord, currency: string, results?: BroadcastResults | null): string {
  const who = describeSegment(b.segment, (amount) => formatMoney({ amount, currency }));
  const lines = [`Broadcast to ${who}: ${b.status}`, progressBar(b), `sent ${b.sent} · failed ${b.failed} · blocked ${b.blocked} · skipped ${b.skipped}`];
  if (results) {
    const revenue = results.revenue.length ? results.revenue.map((m) => formatMoney(m)).join(' + ') : formatMoney({ amount: 0, currency });
    lines.push(`clicks ${results.clicks} · orders ${results.orders} · revenue ${revenue}`);
  }
  return lines.join('\n');
}

/** The Buy button's action under a marketing message: a broadcast's records the click for its results. */
export function offerAction(product: { id: string }, broadcastId: string | undefined): string {
  return broadcastId && /^[a-z0-9]{1,40}$/.test(broadcastId) ? encodeAction({ op: 'offer', productId: product.id, broadcastId }) : encodeAction({ op: 'product', id: product.id });
}
