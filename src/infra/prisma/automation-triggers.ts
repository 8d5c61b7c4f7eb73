import type { Db } from '../db/client.ts';
import type { AutomationTriggers, PlannedMessage, StockAlertRequest } from '../../marketing/automation.ports.ts';
import type { StockAlertStore } from '../../marketing/automations/stock-alerts.ts';
import { marketingChannels, type MarketingChannel } from '../../marketing/segment.ts';

const CHANNELS = [...marketingChannels] as string[];

/** What the automations owe, read from carts, orders, "Notify me" requests, prices and views. */
export class PrismaAutomationTriggers implements AutomationTriggers, StockAlertStore {
  constructor(private readonly db: Db) {}

  async abandonedCarts(storeId: string, idleSince: Date, notBefore: Date): Promise<PlannedMessage[]> {
    const carts = await this.db.cart.findMany({
      where: {
        storeId,
        status: 'open',
        channel: { in: CHANNELS },
        customerId: { not: null },
        updatedAt: { lte: idleSince, gte: notBefore },
        items: { some: {}, none: { updatedAt: { gt: idleSince } } },
      },
      select: { id: true, customerId: true, channel: true },
      take: 500,
    });
    const reminded = await this.planned('abandoned_cart', carts.map((c) => c.id));
    const due = carts.filter((c) => !reminded.has(c.id));
    const reach = await this.reachable(due.map((c) => c.customerId ?? ''));
    return due.flatMap((c) => {
      const address = reach.get(`${c.customerId}:${c.channel}`);
      return address && c.customerId
        ? [{ storeId, kind: 'abandoned_cart' as const, triggerKey: c.id, customerId: c.customerId, channel: c.channel as MarketingChannel, address, subjectId: c.id }]
        : [];
    });
  }

  async deliveredOrders(storeId: string, deliveredBefore: Date, notBefore: Date): Promise<PlannedMessage[]> {
    const orders = await this.db.order.findMany({
      where: { storeId, status: 'delivered', customerId: { not: null }, channel: { in: CHANNELS }, events: { some: { toStatus: 'delivered', createdAt: { lte: deliveredBefore, gte: notBefore } } } },
      select: { id: true, customerId: true, channel: true },
      take: 500,
    });
    const asked = await this.planned('review_request', orders.map((o) => o.id));
    const due = orders.filter((o) => !asked.has(o.id));
    const reach = await this.reachable(due.map((o) => o.customerId ?? ''));
    return due.flatMap((o) => {
      const address = reach.get(`${o.customerId}:${o.channel}`);
      return address && o.customerId
        ? [{ storeId, kind: 'review_request' as const, triggerKey: o.id, customerId: o.customerId, channel: o.channel as MarketingChannel, address, subjectId: o.id }]
        : [];
    });
  }

  async waitingStockAlerts(storeId: string): Promise<StockAlertRequest[]> {
    const rows = await this.db.stockAlertRequest.findMany({ where: { storeId, status: 'waiting' }, orderBy: { createdAt: 'asc' }, take: 1000 });
    return rows.map((r) => ({ id: r.id, storeId: r.storeId, customerId: r.customerId, variantId: r.variantId, productId: r.productId, channel: r.channel as MarketingChannel, createdAt: r.createdAt }));
  }

  async completeStockAlerts(ids: readonly string[], now: Date): Promise<void> {
    if (ids.length) await this.db.stockAlertRequest.updateMany({ where: { id: { in: [...ids] }, status: 'waiting' }, data: { status: 'done', doneAt: now } });
  }

  async detectPriceDrops(storeId: string, now: Date): Promise<{ id: string; productId: string }[]> {
    const variants = await this.db.variant.findMany({
      where: { storeId, product: { status: 'active' } },
      select: { id: true, productId: true, price: true, currency: true, priceWatch: { select: { price: true } } },
    });
    const drops = new Map<string, { variantId: string; from: number; to: number; currency: string }>();
    for (const v of variants) {
      if (!v.priceWatch) {
        await this.db.priceWatch.createMany({ data: [{ variantId: v.id, storeId, productId: v.productId, price: v.price, updatedAt: now }] }).catch(() => undefined);
        continue;
      }
      if (v.priceWatch.price === v.price) continue;
      // One conditional update: of two runners, only one sees the old price and records the drop.
      const { count } = await this.db.priceWatch.updateMany({ where: { variantId: v.id, price: v.priceWatch.price }, data: { price: v.price, updatedAt: now } });
      if (count !== 1 || v.price > v.priceWatch.price) continue;
      const best = drops.get(v.productId);
      if (!best || v.priceWatch.price - v.price > best.from - best.to) drops.set(v.productId, { variantId: v.id, from: v.priceWatch.price, to: v.price, currency: v.currency });
    }
    for (const [productId, d] of drops) {
      await this.db.priceDrop.create({ data: { storeId, productId, variantId: d.variantId, fromPrice: d.from, toPrice: d.to, currency: d.currency, at: now } });
    }
    const open = await this.db.priceDrop.findMany({ where: { storeId, plannedAt: null }, select: { id: true, productId: true }, orderBy: { at: 'asc' } });
    return open;
  }

  async recentViewers(storeId: string, productId: string, since: Date): Promise<{ customerId: string; channel: MarketingChannel; address: string }[]> {
    const views = await this.db.analyticsEvent.findMany({
      where: { storeId, productId, type: 'view', customerId: { not: null }, createdAt: { gte: since } },
      select: { customerId: true },
      distinct: ['customerId'],
    });
    const ids = views.flatMap((v) => (v.customerId ? [v.customerId] : []));
    const reach = await this.reachable(ids);
    return ids.flatMap((customerId) => {
      // One alert per customer: the first channel they are subscribed and reachable on.
      const channel = marketingChannels.find((ch) => reach.has(`${customerId}:${ch}`));
      const address = channel ? reach.get(`${customerId}:${channel}`) : undefined;
      return channel && address ? [{ customerId, channel, address }] : [];
    });
  }

  async markDropPlanned(dropId: string, now: Date): Promise<void> {
    await this.db.priceDrop.updateMany({ where: { id: dropId, plannedAt: null }, data: { plannedAt: now } });
  }

  async waiting(customerId: string, variantId: string): Promise<boolean> {
    return (await this.db.stockAlertRequest.count({ where: { customerId, variantId, status: 'waiting' } })) > 0;
  }

  async request(r: Omit<StockAlertRequest, 'id'>): Promise<void> {
    await this.db.stockAlertRequest.create({ data: { ...r, status: 'waiting', source: 'notify_me' } });
  }

  /** Triggers already planned for this automation. */
  private async planned(kind: string, keys: string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = await this.db.automationMessage.findMany({ where: { kind, triggerKey: { in: keys } }, select: { triggerKey: true } });
    return new Set(rows.map((r) => r.triggerKey));
  }

  /** "<customer>:<channel>" → address, for customers subscribed and reachable there. */
  private async reachable(customerIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(customerIds.filter(Boolean))];
    if (!ids.length) return new Map();
    const [consents, identities] = await Promise.all([
      this.db.consent.findMany({ where: { customerId: { in: ids }, status: 'subscribed' }, select: { customerId: true, channel: true } }),
      this.db.channelIdentity.findMany({ where: { customerId: { in: ids }, unreachableAt: null }, select: { customerId: true, channel: true, externalUserId: true }, orderBy: { externalUserId: 'asc' } }),
    ]);
    const subscribed = new Set(consents.map((c) => `${c.customerId}:${c.channel}`));
    const out = new Map<string, string>();
    for (const i of identities) {
      const key = `${i.customerId}:${i.channel}`;
      if (subscribed.has(key) && !out.has(key)) out.set(key, i.externalUserId);
    }
    return out;
  }
}
