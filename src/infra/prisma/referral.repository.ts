import type { Db } from '../db/client.ts';
import { parseStoredAddress } from '../../cart/shipping-address.ts';
import { orderContacts } from '../../marketing/referral.service.ts';
import type { ReferralRepository } from '../../marketing/referral.ports.ts';

const PURCHASED = { notIn: ['pending_payment', 'cancelled'] };

export class PrismaReferralRepository implements ReferralRepository {
  constructor(private readonly db: Db) {}

  async referralOf(storeId: string, customerId: string) {
    const first = await this.db.analyticsEvent.findFirst({ where: { storeId, customerId, type: 'referral' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { data: true, createdAt: true } });
    const referrer = first?.data && typeof first.data === 'object' && !Array.isArray(first.data) ? first.data.referrer : undefined;
    return first && typeof referrer === 'string' ? { referrer, at: first.createdAt } : null;
  }

  async customerByIdentity(storeId: string, key: string) {
    const [channel, ...rest] = key.split(':');
    const externalUserId = rest.join(':');
    if (!channel || !externalUserId) return null;
    const identity = await this.db.channelIdentity.findFirst({ where: { storeId, channel, externalUserId }, select: { customerId: true } });
    return identity?.customerId ?? null;
  }

  async customerCreatedAt(customerId: string) {
    return (await this.db.customer.findUnique({ where: { id: customerId }, select: { createdAt: true } }))?.createdAt ?? null;
  }

  purchasedOrders(storeId: string, customerId: string) {
    return this.db.order.count({ where: { storeId, customerId, status: PURCHASED } });
  }

  async contactsOf(storeId: string, customerId: string) {
    const orders = await this.db.order.findMany({ where: { storeId, customerId }, select: { email: true, shippingAddress: true }, take: 200, orderBy: { createdAt: 'desc' } });
    return new Set(orders.flatMap((o) => orderContacts({ email: o.email, shippingAddress: parseStoredAddress(o.shippingAddress) })));
  }
}
