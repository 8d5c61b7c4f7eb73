import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type { ShippingAddress } from '../../cart/shipping-address.ts';
import type { PaymentLedger, PaymentStatus } from '../../payments/payments.ports.ts';
import type { PaymentRecord } from '../../orders/orders.types.ts';
import { orderInclude, toOrder } from './order-mapper.ts';
import { isUniqueViolation } from './prisma-errors.ts';

const paymentSelect = { id: true, provider: true, providerRef: true, status: true, amount: true, refunded: true, currency: true, url: true } as const;

/** Payment rows, refund reservations and hold extensions, each one conditional statement. */
export class PrismaPaymentLedger implements PaymentLedger {
  constructor(private readonly db: Db) {}

  async findOrder(orderId: string) {
    // findFirst: concurrent findUnique calls are batched into one query that can exceed SQLite's parameter limit.
    const o = await this.db.order.findFirst({ where: { id: orderId }, include: orderInclude });
    return o ? toOrder(o) : null;
  }

  async settlePayment(orderId: string, p: { provider: string; providerRef: string; amount: number; currency: string; status: PaymentStatus }): Promise<PaymentRecord> {
    const where = { provider_providerRef: { provider: p.provider, providerRef: p.providerRef } };
    // Only forward: a succeeded payment never becomes failed, a refunded one keeps its refund status.
    const from = p.status === 'succeeded' ? ['pending', 'failed'] : ['pending'];
    await this.db.payment.updateMany({ where: { provider: p.provider, providerRef: p.providerRef, status: { in: from } }, data: { status: p.status } });
    const found = await this.db.payment.findUnique({ where, select: paymentSelect });
    if (found) return found;
    try {
      return await this.db.payment.create({
        data: { orderId, provider: p.provider, providerRef: p.providerRef, amount: p.amount, currency: p.currency, status: p.status },
        select: paymentSelect,
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return this.db.payment.findUniqueOrThrow({ where, select: paymentSelect });
    }
  }

  async reserveRefund(paymentId: string, expectedRefunded: number, amount: number): Promise<boolean> {
    const changed = await this.db.$executeRaw`UPDATE "Payment" SET "refunded" = "refunded" + ${amount} WHERE "id" = ${paymentId} AND "refunded" = ${expectedRefunded} AND "refunded" + ${amount} <= "amount" AND "status" IN ('succeeded', 'partially_refunded')`;
    return changed === 1;
  }

  async undoRefund(paymentId: string, amount: number): Promise<void> {
    await this.db.$executeRaw`UPDATE "Payment" SET "refunded" = "refunded" - ${amount} WHERE "id" = ${paymentId} AND "refunded" >= ${amount}`;
  }

  async raiseRefunded(paymentId: string, total: number): Promise<PaymentRecord> {
    await this.db.$executeRaw`UPDATE "Payment" SET "refunded" = ${total} WHERE "id" = ${paymentId} AND "refunded" < ${total}`;
    const p = await this.db.payment.findUniqueOrThrow({ where: { id: paymentId }, select: paymentSelect });
    const status = p.refunded >= p.amount ? 'refunded' : p.refunded > 0 ? 'partially_refunded' : p.status;
    if (status === p.status) return p;
    await this.db.payment.update({ where: { id: paymentId }, data: { status } });
    return { ...p, status };
  }

  async flag(orderId: string, status: string, actor: string, note: string): Promise<void> {
    await this.db.orderEvent.create({ data: { orderId, fromStatus: status, toStatus: status, actor, note } });
  }

  async extendHold(orderId: string, until: Date, now: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const moved = await tx.order.updateMany({ where: { id: orderId, status: 'pending_payment', reservedUntil: { gt: now } }, data: { reservedUntil: until } });
      if (moved.count !== 1) return false;
      await tx.reservation.updateMany({ where: { orderId, status: 'active' }, data: { expiresAt: until } });
      return true;
    });
  }

  async setShippingAddress(orderId: string, address: ShippingAddress): Promise<void> {
    await this.db.order.updateMany({ where: { id: orderId }, data: { shippingAddress: JSON.parse(JSON.stringify(address)) as Prisma.InputJsonValue } });
  }

  async hasPhysicalGoods(orderId: string): Promise<boolean> {
    // Items and the stocked variants they hold (a bundle's parts may carry the weight).
    const [items, holds] = await Promise.all([
      this.db.orderItem.findMany({ where: { orderId }, select: { variantId: true } }),
      this.db.reservation.findMany({ where: { orderId }, select: { variantId: true } }),
    ]);
    const ids = [...items.flatMap((i) => (i.variantId ? [i.variantId] : [])), ...holds.map((h) => h.variantId)];
    if (!ids.length) return false;
    // Same rule as shipping: weight 0 marks a digital item; a weight or none at all ships.
    const physical = await this.db.variant.count({ where: { id: { in: ids }, OR: [{ weightGrams: null }, { weightGrams: { gt: 0 } }] } });
    return physical > 0;
  }
}
