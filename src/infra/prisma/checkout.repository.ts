import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type { CheckoutRepository, OrderDraft } from '../../checkout/checkout.ports.ts';
import type { PaymentRecord } from '../../orders/orders.types.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { orderInclude, toOrder } from './order-mapper.ts';
import { HoldFailed, holdStock } from './stock-holds.ts';

class CartClosed extends Error {}
class PromotionRefused extends Error {}

type Tx = Prisma.TransactionClient;

/**
 * One use of a promo code for this order: the limits are re-checked by the
 * conditional UPDATE itself (a promotion row is written by one transaction at
 * a time), so concurrent checkouts never exceed a total limit or budget.
 */
async function redeem(tx: Tx, d: OrderDraft, orderId: string, code: string): Promise<void> {
  const promo = await tx.promotion.findUnique({ where: { storeId_code: { storeId: d.storeId, code } } });
  if (!promo?.active) throw new PromotionRefused();
  const moved = await tx.$executeRaw`
    UPDATE "Promotion" SET "uses" = "uses" + 1, "discountGiven" = "discountGiven" + ${d.discountTotal}
    WHERE "id" = ${promo.id} AND ("totalLimit" IS NULL OR "uses" < "totalLimit")
      AND ("budget" IS NULL OR "discountGiven" + ${d.discountTotal} <= "budget")`;
  if (moved !== 1) throw new PromotionRefused();
  if (promo.perCustomerLimit !== null && d.customerId) {
    const used = await tx.promotionRedemption.count({ where: { promotionId: promo.id, customerId: d.customerId, status: 'held' } });
    if (used >= promo.perCustomerLimit) throw new PromotionRefused();
  }
  await tx.promotionRedemption.create({ data: { promotionId: promo.id, orderId, customerId: d.customerId, discount: d.discountTotal } });
}

export class PrismaCheckoutRepository implements CheckoutRepository {
  constructor(private readonly db: Db) {}

  async findByIdempotencyKey(storeId: string, key: string) {
    // findFirst, not findUnique: Prisma batches concurrent findUnique calls into one query, which
    // past a few hundred simultaneous checkouts exceeds SQLite's bound-parameter limit (P2029).
    const o = await this.db.order.findFirst({ where: { storeId, idempotencyKey: key }, include: orderInclude });
    return o ? toOrder(o) : null;
  }

  async placeOrder(d: OrderDraft) {
    try {
      const order = await this.db.$transaction(
        async (tx) => {
          for (const h of d.holds) await holdStock(tx, h.variantId, h.sku, h.quantity);
          const closed = await tx.cart.updateMany({ where: { id: d.cartId, status: 'open' }, data: { status: 'converted', openKey: null } });
          if (closed.count !== 1) throw new CartClosed();
          const { orderSeq } = await tx.store.update({ where: { id: d.storeId }, data: { orderSeq: { increment: 1 } }, select: { orderSeq: true } });
          const order = await tx.order.create({
            data: {
              storeId: d.storeId,
              number: 1000 + orderSeq,
              customerId: d.customerId,
              cartId: d.cartId,
              status: 'pending_payment',
              currency: d.currency,
              subtotal: d.subtotal,
              discountTotal: d.discountTotal,
              shippingTotal: d.shippingTotal,
              taxTotal: d.taxTotal,
              total: d.total,
              channel: d.channel,
              email: d.email,
              idempotencyKey: d.idempotencyKey,
              requestHash: d.requestHash,
              reservedUntil: d.reservedUntil,
              ...(d.shippingAddress && { shippingAddress: JSON.parse(JSON.stringify(d.shippingAddress)) as Prisma.InputJsonValue }),
              items: { create: d.items.map((i) => ({ ...i, currency: d.currency })) },
              reservations: {
                create: d.holds.map((h) => ({ storeId: d.storeId, variantId: h.variantId, quantity: h.quantity, expiresAt: d.reservedUntil })),
              },
              events: { create: { fromStatus: null, toStatus: 'pending_payment', actor: `channel:${d.channel}`, note: 'order placed; stock reserved' } },
            },
            include: orderInclude,
          });
          if (d.promotionCode) await redeem(tx, d, order.id, d.promotionCode);
          return order;
        },
        { maxWait: 10_000, timeout: 15_000 },
      );
      return { ok: true as const, order: toOrder(order) };
    } catch (err) {
      // Whatever failed, a concurrent request with the same key may have won.
      const winner = await this.findByIdempotencyKey(d.storeId, d.idempotencyKey);
      if (winner) return { ok: false as const, code: 'DUPLICATE' as const, order: winner };
      if (err instanceof HoldFailed) return { ok: false as const, code: 'INSUFFICIENT_STOCK' as const, sku: err.sku };
      if (err instanceof CartClosed) return { ok: false as const, code: 'CART_CLOSED' as const };
      if (err instanceof PromotionRefused) return { ok: false as const, code: 'PROMOTION_REFUSED' as const };
      throw err;
    }
  }

  async recordPayment(orderId: string, p: Omit<PaymentRecord, 'id' | 'refunded' | 'status'>): Promise<PaymentRecord> {
    try {
      return await this.db.payment.create({ data: { orderId, ...p } });
    } catch (err) {
      if (!isUniqueViolation(err) || !p.providerRef) throw err;
      return this.db.payment.findUniqueOrThrow({ where: { provider_providerRef: { provider: p.provider, providerRef: p.providerRef } } });
    }
  }

  releasePromotion(orderId: string): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const r = await tx.promotionRedemption.findUnique({ where: { orderId } });
      if (!r || r.status !== 'held') return false;
      const moved = await tx.promotionRedemption.updateMany({ where: { id: r.id, status: 'held' }, data: { status: 'released' } });
      if (moved.count !== 1) return false;
      await tx.promotion.update({ where: { id: r.promotionId }, data: { uses: { decrement: 1 }, discountGiven: { decrement: r.discount } } });
      return true;
    });
  }
}
