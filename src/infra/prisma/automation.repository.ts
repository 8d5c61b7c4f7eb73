import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type {
  AutomationKind,
  AutomationRepository,
  AutomationSubject,
  AutomationSubjects,
  ClaimedMessage,
  MessageResult,
  PlannedMessage,
  StoreAutomations,
} from '../../marketing/automation.ports.ts';
import type { MarketingChannel } from '../../marketing/segment.ts';
import { isUniqueViolation } from './prisma-errors.ts';

/**
 * Automation messages in the database: planned once per (kind, triggerKey),
 * claimed by one conditional update each, finished after the send.
 */
export class PrismaAutomationRepository implements AutomationRepository, AutomationSubjects {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async stores(): Promise<StoreAutomations[]> {
    const rows = await this.db.store.findMany({ select: { id: true, automations: true }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => ({ storeId: r.id, automations: r.automations }));
  }

  async settings(storeId: string): Promise<unknown> {
    return (await this.db.store.findUnique({ where: { id: storeId }, select: { automations: true } }))?.automations ?? null;
  }

  async saveSettings(storeId: string, settings: unknown): Promise<void> {
    await this.db.store.update({ where: { id: storeId }, data: { automations: settings as Prisma.InputJsonValue } });
  }

  async plan(messages: readonly PlannedMessage[]): Promise<number> {
    let created = 0;
    for (const m of messages) {
      const now = this.now();
      try {
        await this.db.automationMessage.create({ data: { ...m, status: 'pending', nextAttemptAt: now, createdAt: now } });
        created++;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // planned before: once per trigger
      }
    }
    return created;
  }

  async claim(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedMessage[]> {
    const due = await this.db.automationMessage.findMany({ where: { status: 'pending', nextAttemptAt: { lte: now } }, orderBy: { nextAttemptAt: 'asc' }, take: limit });
    const claimed: ClaimedMessage[] = [];
    for (const m of due) {
      const { count } = await this.db.automationMessage.updateMany({
        where: { id: m.id, status: 'pending' },
        data: { status: 'sending', leaseUntil, attempts: { increment: 1 }, updatedAt: now },
      });
      if (count === 1) {
        claimed.push({
          id: m.id,
          storeId: m.storeId,
          kind: m.kind as AutomationKind,
          triggerKey: m.triggerKey,
          customerId: m.customerId,
          channel: m.channel as MarketingChannel,
          address: m.address,
          subjectId: m.subjectId,
          attempts: m.attempts + 1,
          createdAt: m.createdAt,
        });
      }
    }
    return claimed;
  }

  async finish(id: string, r: MessageResult, now: Date): Promise<void> {
    await this.db.automationMessage.updateMany({
      where: { id, status: 'sending' },
      data: {
        status: r.status,
        leaseUntil: null,
        updatedAt: now,
        error: r.status === 'sent' ? null : r.error,
        ...(r.status === 'sent' && { sentAt: now, messageId: r.messageId }),
        ...(r.status === 'pending' && { nextAttemptAt: r.retryAt }),
      },
    });
  }

  async expireLeases(now: Date): Promise<number> {
    const { count } = await this.db.automationMessage.updateMany({
      where: { status: 'sending', leaseUntil: { lt: now } },
      data: { status: 'failed', error: 'interrupted mid-send; not sent again', leaseUntil: null, updatedAt: now },
    });
    return count;
  }

  async sentSince(customerId: string, since: Date): Promise<number> {
    const [automations, broadcasts] = await Promise.all([
      this.db.automationMessage.count({ where: { customerId, status: 'sent', sentAt: { gte: since } } }),
      this.db.broadcastDelivery.count({ where: { customerId, status: 'sent', sentAt: { gte: since } } }),
    ]);
    return automations + broadcasts;
  }

  async addressOf(customerId: string, channel: MarketingChannel): Promise<string | null> {
    const id = await this.db.channelIdentity.findFirst({ where: { customerId, channel }, orderBy: { externalUserId: 'asc' }, select: { externalUserId: true } });
    return id?.externalUserId ?? null;
  }

  async localeOf(customerId: string): Promise<string> {
    const c = await this.db.customer.findUnique({ where: { id: customerId }, select: { locale: true, store: { select: { locale: true } }, identities: { select: { locale: true } } } });
    return c?.locale ?? c?.identities.find((i) => i.locale)?.locale ?? c?.store.locale ?? 'en';
  }

  async optedOutSince(customerId: string, channel: MarketingChannel, since: Date): Promise<boolean> {
    return (await this.db.consentEvent.count({ where: { customerId, channel, status: 'unsubscribed', at: { gt: since } } })) > 0;
  }

  async subject(m: ClaimedMessage): Promise<AutomationSubject | null> {
    switch (m.kind) {
      case 'abandoned_cart':
        return this.cartSubject(m);
      case 'back_in_stock': {
        const r = await this.db.stockAlertRequest.findUnique({ where: { id: m.subjectId }, select: { productId: true, createdAt: true, variant: { select: { title: true, sku: true, options: true } } } });
        if (!r) return null;
        const options = r.variant.options && typeof r.variant.options === 'object' ? Object.values(r.variant.options as Record<string, string>) : [];
        return { kind: 'back_in_stock', productId: r.productId, variantLabel: options.length ? options.join(' / ') : r.variant.title, requestedAt: r.createdAt };
      }
      case 'price_drop': {
        const drop = await this.db.priceDrop.findUnique({ where: { id: m.subjectId } });
        if (!drop) return null;
        // Only while the product is still at (or below) the dropped price.
        const now = await this.db.variant.findUnique({ where: { id: drop.variantId }, select: { price: true } });
        if (!now || now.price > drop.toPrice) return null;
        return { kind: 'price_drop', productId: drop.productId, from: drop.fromPrice, to: now.price, currency: drop.currency };
      }
      case 'review_request': {
        const o = await this.db.order.findUnique({ where: { id: m.subjectId }, select: { status: true, number: true, items: { select: { variantId: true }, take: 1 } } });
        if (!o || o.status !== 'delivered') return null;
        const variantId = o.items[0]?.variantId;
        const v = variantId ? await this.db.variant.findUnique({ where: { id: variantId }, select: { productId: true } }) : null;
        return { kind: 'review_request', orderNumber: o.number, firstProductId: v?.productId ?? null };
      }
    }
  }

  /** The cart, if it is still open, has items and was not touched since the reminder was planned. */
  private async cartSubject(m: ClaimedMessage): Promise<AutomationSubject | null> {
    const cart = await this.db.cart.findUnique({
      where: { id: m.subjectId },
      select: { status: true, updatedAt: true, items: { select: { quantity: true, updatedAt: true, variant: { select: { productId: true, title: true, product: { select: { title: true } } } } }, orderBy: { createdAt: 'asc' } } },
    });
    if (!cart || cart.status !== 'open' || cart.items.length === 0) return null;
    if (cart.updatedAt > m.createdAt || cart.items.some((i) => i.updatedAt > m.createdAt)) return null;
    const items = cart.items.map((i) => ({ title: i.variant.title ? `${i.variant.product.title} (${i.variant.title})` : i.variant.product.title, quantity: i.quantity }));
    return { kind: 'abandoned_cart', items, firstProductId: cart.items[0]?.variant.productId ?? '' };
  }
}
