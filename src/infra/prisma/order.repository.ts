import type { Db } from '../db/client.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import { asDate, asNumber, directSql } from '../db/direct-sql.ts';
import { isOrderStatus, type StockEffect } from '../../orders/order-state.ts';
import type { OrderRepository, TransitionRequest } from '../../orders/orders.ports.ts';
import type { OrderListQuery, OrderSummary } from '../../orders/orders.types.ts';
import { fail, ok } from '../../shared/errors.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { orderInclude, toOrder } from './order-mapper.ts';

class StatusChanged extends Error {}

/** Reservation status before and after each stock effect. */
const effectOn: Record<Exclude<StockEffect, null>, { from: string; to: string }> = {
  commit: { from: 'active', to: 'committed' },
  release: { from: 'active', to: 'released' },
  restock: { from: 'committed', to: 'restocked' },
};

export class PrismaOrderRepository implements OrderRepository {
  constructor(private readonly db: Db) {}

  async findById(storeId: string, idOrNumber: string) {
    const n = /^#?\d{1,9}$/.test(idOrNumber) ? Number(idOrNumber.replace('#', '')) : undefined;
    const o = await this.db.order.findFirst({
      where: { storeId, OR: [{ id: idOrNumber }, ...(n !== undefined ? [{ number: n }] : [])] },
      include: orderInclude,
    });
    return o ? toOrder(o) : null;
  }

  async list(storeId: string, q: OrderListQuery) {
    const after = decodeCursor(q.cursor);
    const rows = await this.db.order.findMany({
      where: { storeId, ...(q.status && { status: q.status }), ...(q.customerId && { customerId: q.customerId }) },
      include: orderInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
      ...(after && { cursor: { id: after }, skip: 1 }),
    });
    const items = rows.slice(0, q.limit).map(toOrder);
    return { items, nextCursor: rows.length > q.limit ? encodeCursor(items.at(-1)?.id ?? '') : null };
  }

  async transition(req: TransitionRequest) {
    try {
      const order = await this.db.$transaction(
        async (tx) => {
          const moved = await tx.order.updateMany({
            where: { id: req.orderId, status: req.from },
            data: { status: req.to, ...(req.from === 'pending_payment' && { reservedUntil: null }), ...req.tracking },
          });
          if (moved.count !== 1) throw new StatusChanged();
          if (req.effect) await applyStockEffect(tx, req.orderId, req.effect);
          await tx.orderEvent.create({ data: { orderId: req.orderId, fromStatus: req.from, toStatus: req.to, actor: req.actor, note: req.note ?? null } });
          return tx.order.findUniqueOrThrow({ where: { id: req.orderId }, include: orderInclude });
        },
        { maxWait: 10_000, timeout: 15_000 },
      );
      return ok(toOrder(order));
    } catch (err) {
      if (err instanceof StatusChanged) return fail('CONFLICT', 'The order is no longer in that status');
      throw err;
    }
  }

  async recentFor(storeId: string, customerId: string, limit: number): Promise<OrderSummary[]> {
    const rows = await directSql(this.db).query<{ id: string; number: unknown; status: string; total: unknown; currency: string; createdAt: unknown }>(Prisma.sql`
      SELECT "id", "number", "status", "total", "currency", "createdAt" FROM "Order"
      WHERE "storeId" = ${storeId} AND "customerId" = ${customerId}
      ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}`);
    return rows.map((r) => {
      if (!isOrderStatus(r.status)) throw new Error(`order ${r.id} has unknown status ${r.status}`);
      return { id: r.id, number: asNumber(r.number), status: r.status, total: asNumber(r.total), currency: r.currency, createdAt: asDate(r.createdAt) };
    });
  }

  async findLapsed(now: Date, limit: number) {
    return this.db.order.findMany({
      where: { status: 'pending_payment', reservedUntil: { lt: now } },
      select: { id: true, storeId: true },
      orderBy: { reservedUntil: 'asc' },
      take: limit,
    });
  }
}

async function applyStockEffect(tx: Prisma.TransactionClient, orderId: string, effect: Exclude<StockEffect, null>) {
  const { from, to } = effectOn[effect];
  const held = await tx.reservation.findMany({ where: { orderId, status: from } });
  for (const r of held) {
    const data: Prisma.InventoryLevelUpdateInput =
      effect === 'commit'
        ? { onHand: { decrement: r.quantity }, reserved: { decrement: r.quantity } }
        : effect === 'release'
          ? { reserved: { decrement: r.quantity } }
          : { onHand: { increment: r.quantity } };
    await tx.inventoryLevel.update({ where: { variantId: r.variantId }, data });
  }
  await tx.reservation.updateMany({ where: { orderId, status: from }, data: { status: to } });
}
