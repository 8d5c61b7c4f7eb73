import type { Db } from '../db/client.ts';
import type { ConsentRecord, ConsentRepository } from '../../marketing/consent.ports.ts';
import type { MarketingChannel } from '../../marketing/segment.ts';

const toRecord = (r: { channel: string; status: string; source: string; changedAt: Date }): ConsentRecord => ({
  channel: r.channel as MarketingChannel,
  status: r.status === 'subscribed' ? 'subscribed' : 'unsubscribed',
  source: r.source,
  changedAt: r.changedAt,
});

export class PrismaConsentRepository implements ConsentRepository {
  constructor(private readonly db: Db) {}

  async forCustomer(customerId: string) {
    const rows = await this.db.consent.findMany({ where: { customerId }, orderBy: { channel: 'asc' } });
    return rows.map(toRecord);
  }

  set(storeId: string, customerId: string, change: ConsentRecord): Promise<boolean> {
    const { channel, status, source, changedAt } = change;
    return this.db.$transaction(async (tx) => {
      const current = await tx.consent.findUnique({ where: { customerId_channel: { customerId, channel } }, select: { status: true } });
      if (current?.status === status) return false;
      await tx.consent.upsert({
        where: { customerId_channel: { customerId, channel } },
        create: { storeId, customerId, channel, status, source, changedAt },
        update: { status, source, changedAt },
      });
      await tx.consentEvent.create({ data: { storeId, customerId, channel, status, source, at: changedAt } });
      return true;
    });
  }

  async history(customerId: string) {
    const rows = await this.db.consentEvent.findMany({ where: { customerId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    return rows.map((r) => ({ ...toRecord({ ...r, changedAt: r.at }), at: r.at }));
  }
}
