import type { Db } from '../db/client.ts';
import { ATTRIBUTION_DAYS, type BroadcastResults, type BroadcastResultsPort } from '../../marketing/broadcast-results.ts';
import type { MarketingChannel } from '../../marketing/segment.ts';

const DAY_MS = 86_400_000;
/** Orders that count as purchases: everything but unpaid and cancelled ones. */
const PURCHASED = { notIn: ['pending_payment', 'cancelled'] };

export class PrismaBroadcastResults implements BroadcastResultsPort {
  constructor(private readonly db: Db) {}

  async clicked(broadcastId: string, customerId: string, channel: MarketingChannel, at: Date): Promise<void> {
    await this.db.broadcastDelivery.updateMany({ where: { broadcastId, customerId, channel, status: 'sent', clickedAt: null }, data: { clickedAt: at } });
  }

  async results(broadcastId: string): Promise<BroadcastResults> {
    const clicks = await this.db.broadcastDelivery.findMany({ where: { broadcastId, clickedAt: { not: null } }, select: { customerId: true, clickedAt: true } });
    const revenue = new Map<string, number>();
    let orders = 0;
    for (const c of clicks) {
      if (!c.clickedAt) continue;
      const until = new Date(c.clickedAt.getTime() + ATTRIBUTION_DAYS * DAY_MS);
      const bought = await this.db.order.findMany({ where: { customerId: c.customerId, status: PURCHASED, createdAt: { gte: c.clickedAt, lte: until } }, select: { total: true, currency: true } });
      orders += bought.length;
      for (const o of bought) revenue.set(o.currency, (revenue.get(o.currency) ?? 0) + o.total);
    }
    return { clicks: clicks.length, orders, revenue: [...revenue].map(([currency, amount]) => ({ amount, currency })) };
  }
}
