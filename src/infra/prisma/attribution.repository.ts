import type { AttributionLog, AttributionRecord } from '../../shared/attribution.ts';
import type { Db } from '../db/client.ts';

/**
 * Attributions as AnalyticsEvent rows of type "campaign" or "referral", with
 * the campaign or referrer in `data`. Written at once (not through the
 * analytics buffer): this row is what credit is paid on later.
 */
export class PrismaAttributionLog implements AttributionLog {
  constructor(private readonly db: Db) {}

  async record(a: AttributionRecord): Promise<void> {
    await this.db.analyticsEvent.create({
      data: {
        storeId: a.storeId,
        type: a.kind,
        customerId: a.customerId,
        sessionKey: a.sessionKey,
        channel: a.channel,
        productId: a.productId ?? null,
        data: { source: a.source, ...(a.campaign !== undefined && { campaign: a.campaign }), ...(a.referrer !== undefined && { referrer: a.referrer }) },
      },
    });
  }
}
