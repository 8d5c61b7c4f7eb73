import type { MarketingChannel } from '../../src/marketing/segment.ts';
import type { TestApp } from './test-app.ts';

let nextNumber = 7000;

/**
 * A subscriber (or not) on a channel, with one paid order `daysAgo` days
 * before `now` (none when null). Orders are written as rows: the segment
 * rules read only who paid what and when.
 */
export async function shopper(
  t: TestApp,
  storeId: string,
  o: { id: string; channel: MarketingChannel; daysAgo: number | null; now: Date; subscribed?: boolean },
): Promise<string> {
  const c = await t.container.services.customers.identify(storeId, { channel: o.channel, externalUserId: o.id });
  if (o.subscribed !== false) await t.container.services.consent.subscribe(storeId, c.id, o.channel, 'test');
  if (o.daysAgo !== null) {
    const n = ++nextNumber;
    await t.container.db.order.create({
      data: {
        storeId,
        number: n,
        customerId: c.id,
        status: 'paid',
        currency: 'EUR',
        subtotal: 5900,
        total: 5900,
        idempotencyKey: `campaign-kit-${n}`,
        requestHash: `h${n}`,
        createdAt: new Date(o.now.getTime() - o.daysAgo * 86_400_000),
      },
    });
  }
  return c.id;
}

/** The arguments a model would pass to propose_campaign, with overrides. */
export function campaignArgs(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    offer: 'percent',
    percent_off: 20,
    amount_off: null,
    buy_quantity: null,
    get_quantity: null,
    min_subtotal: null,
    once_per_customer: false,
    code: null,
    categories: ['hoodies'],
    products: [],
    ends_on: '2026-11-27',
    segment: 'active:30',
    channel: 'telegram',
    text: '20% off every hoodie until Friday!',
    ...over,
  };
}
