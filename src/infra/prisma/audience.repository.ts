import type { Db } from '../db/client.ts';
import type { AudienceState, RecipientFinder } from '../../marketing/broadcast.ports.ts';
import type { Recipient } from '../../marketing/broadcast.types.ts';
import type { ConsentState } from '../../marketing/consent-gate.ts';
import type { MarketingChannel, Segment, SegmentRule } from '../../marketing/segment.ts';
import { join, sql, type Sql } from '../search/search-sql.ts';

/** Orders that count as purchases: everything but unpaid and cancelled ones. */
const PURCHASED = sql`o."status" NOT IN ('pending_payment', 'cancelled')`;
const DAY_MS = 86_400_000;

/**
 * Who a segment reaches (subscribed on the channel, reachable, matching every
 * rule) and a recipient's state right before a send.
 */
export class PrismaAudience implements RecipientFinder, AudienceState {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async find(storeId: string, segment: Segment): Promise<Recipient[]> {
    const where: Sql[] = [sql`c."storeId" = ${storeId}`, sql`c."status" = 'subscribed'`, sql`i."unreachableAt" IS NULL`];
    for (const rule of segment.rules) {
      const cond = this.condition(storeId, rule);
      if (cond) where.push(cond);
    }
    const rows = await this.db.$queryRaw<{ customerId: string; channel: string; address: string; tags: unknown }[]>`
      SELECT c."customerId" AS "customerId", c."channel" AS "channel", min(i."externalUserId") AS "address", cu."tags" AS "tags"
      FROM "Consent" c
        JOIN "ChannelIdentity" i ON i."customerId" = c."customerId" AND i."channel" = c."channel"
        JOIN "Customer" cu ON cu."id" = c."customerId"
      WHERE ${join(where, ' AND ')}
      GROUP BY c."customerId", c."channel", cu."tags"
      ORDER BY c."customerId", c."channel"`;
    const tags = segment.rules.flatMap((r) => (r.kind === 'tag' ? [r.tag] : []));
    return rows
      .filter((r) => tags.every((t) => tagsOf(r.tags).map((x) => x.toLowerCase()).includes(t)))
      .map((r) => ({ customerId: r.customerId, channel: r.channel as MarketingChannel, address: r.address }));
  }

  /** Product and category slugs the segment names that the store does not have. */
  async unknownRefs(storeId: string, segment: Segment): Promise<string[]> {
    const missing: string[] = [];
    for (const r of segment.rules) {
      if (r.kind === 'bought_product' && !(await this.db.product.findFirst({ where: { storeId, slug: r.product }, select: { id: true } }))) missing.push(r.product);
      if (r.kind === 'bought_category' && !(await this.db.category.findFirst({ where: { storeId, slug: r.category }, select: { id: true } }))) missing.push(r.category);
    }
    return missing;
  }

  async state(customerId: string, channel: MarketingChannel): Promise<ConsentState> {
    const [consent, identities, customer] = await Promise.all([
      this.db.consent.findUnique({ where: { customerId_channel: { customerId, channel } }, select: { status: true } }),
      this.db.channelIdentity.findMany({ where: { customerId, channel }, select: { unreachableAt: true } }),
      this.db.customer.findUnique({ where: { id: customerId }, select: { timeZone: true } }),
    ]);
    return {
      status: consent?.status === 'subscribed' ? 'subscribed' : consent ? 'unsubscribed' : 'unknown',
      unreachable: identities.length === 0 || identities.every((i) => i.unreachableAt !== null),
      timeZone: customer?.timeZone ?? null,
    };
  }

  async markUnreachable(customerId: string, channel: MarketingChannel, at: Date): Promise<void> {
    await this.db.channelIdentity.updateMany({ where: { customerId, channel, unreachableAt: null }, data: { unreachableAt: at } });
  }

  private condition(storeId: string, rule: SegmentRule): Sql | null {
    const bought = (extra: Sql) => sql`EXISTS (
      SELECT 1 FROM "Order" o JOIN "OrderItem" oi ON oi."orderId" = o."id" JOIN "Variant" v ON v."id" = oi."variantId" JOIN "Product" p ON p."id" = v."productId"
      WHERE o."customerId" = c."customerId" AND o."storeId" = ${storeId} AND ${PURCHASED} AND ${extra})`;
    switch (rule.kind) {
      case 'channel':
        return sql`c."channel" = ${rule.channel}`;
      case 'bought_product':
        return bought(sql`p."slug" = ${rule.product}`);
      case 'bought_category':
        return bought(sql`p."categoryId" IN (SELECT k."id" FROM "Category" k WHERE k."storeId" = ${storeId} AND k."slug" = ${rule.category})`);
      case 'spent_over':
        return sql`(SELECT COALESCE(SUM(o."total"), 0) FROM "Order" o WHERE o."customerId" = c."customerId" AND ${PURCHASED}) >= ${rule.amount}`;
      case 'inactive_days': {
        const since = new Date(this.now().getTime() - rule.days * DAY_MS);
        return sql`NOT EXISTS (SELECT 1 FROM "Order" o WHERE o."customerId" = c."customerId" AND ${PURCHASED} AND o."createdAt" >= ${since})`;
      }
      case 'active_days': {
        const since = new Date(this.now().getTime() - rule.days * DAY_MS);
        return sql`EXISTS (SELECT 1 FROM "Order" o WHERE o."customerId" = c."customerId" AND o."storeId" = ${storeId} AND ${PURCHASED} AND o."createdAt" >= ${since})`;
      }
      case 'tag':
        return null; // tags are JSON; matched after the query
    }
  }
}

/** Raw SQL gives JSON as text on SQLite and parsed on PostgreSQL. */
function tagsOf(v: unknown): string[] {
  let list: unknown = v;
  if (typeof v === 'string') {
    try {
      list = JSON.parse(v) as unknown;
    } catch {
      list = [];
    }
  }
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}
