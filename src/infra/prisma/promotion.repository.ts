import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type { PromotionDraft } from '../../promotions/promotion-input.ts';
import type { PromotionKind, PromotionRule, PromotionUsage } from '../../promotions/promotion.types.ts';
import type { PromotionRepository, PromotionStats } from '../../promotions/promotions.ports.ts';
import { fail, ok } from '../../shared/errors.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { toStringList } from './product-mapper.ts';

type Row = Prisma.PromotionGetPayload<object>;

/** Orders that count as a customer's purchases: everything but unpaid and cancelled ones. */
const PURCHASED = { notIn: ['pending_payment', 'cancelled'] };

function toRule(r: Row): PromotionRule & PromotionStats {
  return {
    id: r.id,
    storeId: r.storeId,
    code: r.code,
    kind: r.kind as PromotionKind,
    percentBps: r.percentBps,
    amountOff: r.amountOff,
    buyQuantity: r.buyQuantity,
    getQuantity: r.getQuantity,
    currency: r.currency,
    minSubtotal: r.minSubtotal,
    productIds: toStringList(r.productIds),
    categoryIds: toStringList(r.categoryIds),
    firstOrderOnly: r.firstOrderOnly,
    perCustomerLimit: r.perCustomerLimit,
    totalLimit: r.totalLimit,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    budget: r.budget,
    active: r.active,
    automatic: r.automatic,
    uses: r.uses,
    discountGiven: r.discountGiven,
  };
}

export class PrismaPromotionRepository implements PromotionRepository {
  constructor(private readonly db: Db) {}

  async create(storeId: string, d: PromotionDraft) {
    try {
      const row = await this.db.promotion.create({ data: { storeId, ...d, productIds: d.productIds, categoryIds: d.categoryIds } });
      return ok(toRule(row));
    } catch (err) {
      if (isUniqueViolation(err)) return fail('CONFLICT', `The code ${d.code} already exists`);
      throw err;
    }
  }

  async findByCode(storeId: string, code: string) {
    const row = await this.db.promotion.findUnique({ where: { storeId_code: { storeId, code } } });
    return row ? toRule(row) : null;
  }

  async list(storeId: string) {
    const rows = await this.db.promotion.findMany({ where: { storeId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200 });
    return rows.map(toRule);
  }

  async activeSales(storeId: string, now: Date) {
    const rows = await this.db.promotion.findMany({
      where: { storeId, automatic: true, active: true, AND: [{ OR: [{ startsAt: null }, { startsAt: { lte: now } }] }, { OR: [{ endsAt: null }, { endsAt: { gt: now } }] }] },
      orderBy: { createdAt: 'asc' },
      take: 20,
    });
    return rows.map(toRule);
  }

  async setActive(storeId: string, code: string, active: boolean) {
    const r = await this.db.promotion.updateMany({ where: { storeId, code }, data: { active } });
    return r.count ? this.findByCode(storeId, code) : null;
  }

  /**
   * Only what the rule's limits read: a sale with none costs no query (every
   * cart total evaluates every running sale). customerOrders is null for an
   * anonymous cart, and counted only for a first-order-only rule.
   */
  async usage(rule: PromotionRule, customerId: string | null): Promise<PromotionUsage> {
    const [row, customerUses, customerOrders] = await Promise.all([
      rule.totalLimit !== null || rule.budget !== null ? this.db.promotion.findUnique({ where: { id: rule.id }, select: { uses: true, discountGiven: true } }) : null,
      customerId && rule.perCustomerLimit !== null ? this.db.promotionRedemption.count({ where: { promotionId: rule.id, customerId, status: 'held' } }) : 0,
      !customerId ? null : rule.firstOrderOnly ? this.db.order.count({ where: { storeId: rule.storeId, customerId, status: PURCHASED } }) : 0,
    ]);
    return { totalUses: row?.uses ?? 0, discountSpent: row?.discountGiven ?? 0, customerUses, customerOrders };
  }
}
