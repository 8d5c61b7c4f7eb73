import type { MarketingSender } from '../../src/marketing/broadcast.ports.ts';
import type { BroadcastMessage, SendOutcome } from '../../src/marketing/broadcast.types.ts';
import type { Clock } from '../../src/shared/time.ts';
import { adminHeaders, type TestApp } from './test-app.ts';

/** A Telegram-like sender that records every message it is given. */
export class RecordingSender implements MarketingSender {
  readonly channel = 'telegram' as const;
  readonly perSecond = 1000;
  readonly sent: { address: string; message: BroadcastMessage }[] = [];
  send(address: string, message: BroadcastMessage): Promise<SendOutcome> {
    this.sent.push({ address, message });
    return Promise.resolve({ kind: 'sent', messageId: String(this.sent.length) });
  }
  to(address: string) {
    return this.sent.filter((s) => s.address === address);
  }
}

/**
 * A manual clock that starts at the real time: carts and order events are
 * stamped by the database layer with the real time, so the automations'
 * clock must start there and only ever move forward by hand.
 */
export class ShiftedClock implements Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export const MINUTE = 60_000;

/** Minutes after UTC midnight of `at`. */
export const utcMinute = (at: Date) => at.getUTCHours() * 60 + at.getUTCMinutes();

export async function setAutomations(t: TestApp, automations: unknown) {
  const res = await t.call('PATCH', '/api/v1/stores/demo', { automations }, adminHeaders);
  if (res.status !== 200) throw new Error(`PATCH automations: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.automations;
}

/** A Telegram shopper (user id = address), opted in when `subscribed`. */
export async function shopper(t: TestApp, storeId: string, userId: string, subscribed: boolean) {
  const c = await t.container.services.customers.identify(storeId, { channel: 'telegram', externalUserId: userId });
  if (subscribed) await t.container.services.consent.subscribe(storeId, c.id, 'telegram', 'test');
  return c.id;
}

/** The shopper's open Telegram cart with these lines; returns its id. */
export async function cartWith(t: TestApp, customerId: string, lines: Record<string, number>): Promise<string> {
  const store = await t.container.services.catalog.store('demo');
  const cart = await t.container.services.carts.open(store, { customerId, channel: 'telegram' });
  for (const [sku, qty] of Object.entries(lines)) {
    const r = await t.container.services.carts.addItem(store.id, cart.id, sku, qty);
    if (!r.ok) throw new Error(r.message);
  }
  return cart.id;
}

export async function checkoutCart(t: TestApp, cartId: string, key: string) {
  const res = await t.call('POST', `/api/v1/stores/demo/carts/${cartId}/checkout`, undefined, { 'idempotency-key': key });
  if (res.status >= 300) throw new Error(`checkout: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
