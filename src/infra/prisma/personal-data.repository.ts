import type { Db } from '../db/client.ts';
import type { ErasureReport, PersonalData, PersonalDataRepository } from '../../customers/privacy.ports.ts';
import { toStringList } from './product-mapper.ts';

export class PrismaPersonalDataRepository implements PersonalDataRepository {
  constructor(private readonly db: Db) {}

  async export(storeId: string, customerId: string): Promise<PersonalData | null> {
    const c = await this.db.customer.findFirst({ where: { storeId, id: customerId }, include: { identities: { orderBy: { createdAt: 'asc' } } } });
    if (!c) return null;
    const keys = c.identities.map((i) => `${i.channel}:${i.externalUserId}`);
    const [consent, orders, carts, events, conversations, reviews, stockAlerts, deliveries, automationMessages, groupDeals] = await Promise.all([
      this.db.consent.findMany({ where: { customerId }, orderBy: { channel: 'asc' } }),
      this.db.order.count({ where: { storeId, customerId } }),
      this.db.cart.count({ where: { storeId, customerId } }),
      this.db.analyticsEvent.count({ where: { storeId, OR: [{ customerId }, { sessionKey: { in: keys } }] } }),
      this.db.conversationState.count({ where: { storeId, OR: [{ customerId }, { key: { in: keys } }] } }),
      this.db.productReview.findMany({ where: { storeId, customerId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], include: { product: { select: { title: true } } } }),
      this.db.stockAlertRequest.count({ where: { storeId, customerId, status: 'waiting' } }),
      this.db.broadcastDelivery.count({ where: { customerId } }),
      this.db.automationMessage.count({ where: { storeId, customerId } }),
      this.db.groupDealMember.count({ where: { customerId } }),
    ]);
    return {
      customer: { displayName: c.displayName, email: c.email, phone: c.phone, locale: c.locale, timeZone: c.timeZone, tags: toStringList(c.tags ?? []), createdAt: c.createdAt },
      identities: c.identities.map((i) => ({ channel: i.channel, username: i.username, locale: i.locale, since: i.createdAt })),
      consent: consent.map((r) => ({ channel: r.channel, status: r.status, source: r.source, changedAt: r.changedAt })),
      orders,
      carts,
      events,
      conversations,
      stockAlerts,
      messages: deliveries + automationMessages,
      groupDeals,
      reviews: reviews.map((r) => ({ productId: r.productId, productTitle: r.product.title, orderId: r.orderId, rating: r.rating, text: r.text, createdAt: r.createdAt })),
    };
  }

  erase(storeId: string, customerId: string): Promise<ErasureReport | null> {
    return this.db.$transaction(async (tx) => {
      const c = await tx.customer.findFirst({ where: { storeId, id: customerId }, include: { identities: true } });
      if (!c) return null;
      const keys = c.identities.map((i) => `${i.channel}:${i.externalUserId}`);
      // Orders stay for the books: no customer (the relation sets it null), no e-mail, no address.
      const ordersAnonymised = await tx.$executeRaw`UPDATE "Order" SET "email" = NULL, "shippingAddress" = NULL WHERE "customerId" = ${customerId}`;
      const events = await tx.analyticsEvent.updateMany({ where: { storeId, OR: [{ customerId }, { sessionKey: { in: keys } }] }, data: { customerId: null, sessionKey: null } });
      const conversations = await tx.conversationState.deleteMany({ where: { storeId, OR: [{ customerId }, { key: { in: keys } }] } });
      const carts = await tx.cart.deleteMany({ where: { storeId, customerId } });
      await tx.promotionRedemption.updateMany({ where: { customerId }, data: { customerId: null } });
      await tx.consent.deleteMany({ where: { customerId } });
      await tx.consentEvent.deleteMany({ where: { customerId } });
      await tx.broadcastDelivery.deleteMany({ where: { customerId } });
      // Group-deal memberships name the platform user; orders placed from them stay, anonymised as above.
      await tx.groupDealMember.deleteMany({ where: { customerId } });
      // Stock alerts and automation messages go with the customer (their relation cascades).
      // Reviews: the words go, the stars stay for the product's average, with no one behind them.
      const reviews = await tx.productReview.updateMany({ where: { customerId }, data: { customerId: null, text: null } });
      await tx.customer.delete({ where: { id: customerId } });
      return { ordersAnonymised, eventsAnonymised: events.count, conversationsDeleted: conversations.count, cartsDeleted: carts.count, reviewsAnonymised: reviews.count };
    });
  }
}
