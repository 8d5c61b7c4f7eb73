import type { Db } from '../db/client.ts';
import type { DeliverablePlanLine, DeliverySlot, DigitalDeliveryRepository } from '../../orders/digital-delivery.ports.ts';
import type { DeliverableKind, OrderDeliveryRecord } from '../../orders/orders.types.ts';
import { isUniqueViolation } from './prisma-errors.ts';

const kindOf = (k: string): DeliverableKind => (k === 'file' || k === 'text' ? k : 'license_key');
/** Tries per empty slot when concurrent buyers take the same free key first. */
const MAX_KEY_TRIES = 50;

export class PrismaDigitalDeliveryRepository implements DigitalDeliveryRepository {
  constructor(private readonly db: Db) {}

  async plan(orderId: string): Promise<DeliverablePlanLine[]> {
    const items = await this.db.orderItem.findMany({ where: { orderId }, orderBy: { id: 'asc' }, select: { id: true, title: true, quantity: true, variantId: true } });
    const variantIds = items.flatMap((i) => (i.variantId ? [i.variantId] : []));
    if (!variantIds.length) return [];
    const variants = await this.db.variant.findMany({ where: { id: { in: variantIds } }, select: { id: true, productId: true } });
    const productOf = new Map(variants.map((v) => [v.id, v.productId]));
    const deliverables = await this.db.productDeliverable.findMany({
      where: { productId: { in: [...new Set(productOf.values())] } },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    });
    return items.flatMap((i) => {
      const productId = i.variantId ? productOf.get(i.variantId) : undefined;
      const own = deliverables.filter((d) => d.productId === productId);
      if (!own.length) return [];
      return [{ itemId: i.id, productTitle: i.title, quantity: i.quantity, deliverables: own.map((d) => ({ id: d.id, kind: kindOf(d.kind), label: d.label, content: d.content })) }];
    });
  }

  async createSlots(orderId: string, slots: readonly DeliverySlot[], now: Date): Promise<void> {
    for (const s of slots) {
      try {
        await this.db.orderDelivery.create({ data: { orderId, ...s, fulfilledAt: s.content === null ? null : now } });
      } catch (err) {
        // Written already by an earlier (or concurrent) run for this order.
        if (!isUniqueViolation(err)) throw err;
      }
    }
  }

  async assignKeys(orderId: string, now: Date): Promise<number> {
    const empty = await this.db.orderDelivery.findMany({ where: { orderId, kind: 'license_key', content: null }, orderBy: { slot: 'asc' } });
    let left = 0;
    for (const slot of empty) {
      const key = (await this.keyOf(slot.id)) ?? (await this.takeKey(slot.deliverableId, slot.id));
      if (!key) {
        left++;
        continue;
      }
      await this.db.licenseKey.updateMany({ where: { deliveryId: slot.id, assignedAt: null }, data: { assignedAt: now } });
      await this.db.orderDelivery.updateMany({ where: { id: slot.id, content: null }, data: { content: key, fulfilledAt: now } });
    }
    return left;
  }

  async claimUnsent(orderId: string, now: Date): Promise<OrderDeliveryRecord[]> {
    const ready = await this.db.orderDelivery.findMany({ where: { orderId, sentAt: null, content: { not: null } }, orderBy: [{ createdAt: 'asc' }, { slot: 'asc' }] });
    const claimed: OrderDeliveryRecord[] = [];
    for (const d of ready) {
      // Only the run that flips sentAt sends it: a redelivered payment event or a second instance sends nothing.
      const won = await this.db.orderDelivery.updateMany({ where: { id: d.id, sentAt: null }, data: { sentAt: now } });
      if (won.count === 1) claimed.push({ ...d, kind: kindOf(d.kind), sentAt: now });
    }
    return claimed;
  }

  async ordersAwaiting(deliverableId: string, limit: number): Promise<{ id: string; storeId: string }[]> {
    const rows = await this.db.orderDelivery.findMany({
      // Cancelled, refunded or returned orders are owed nothing any more.
      where: { deliverableId, content: null, order: { status: { in: ['paid', 'fulfilled', 'shipped', 'delivered', 'partially_refunded'] } } },
      orderBy: { createdAt: 'asc' },
      select: { order: { select: { id: true, storeId: true } } },
      take: limit,
    });
    const seen = new Map<string, { id: string; storeId: string }>();
    for (const r of rows) seen.set(r.order.id, r.order);
    return [...seen.values()];
  }

  /** The key a slot already holds (a run that stopped between taking it and writing it down). */
  private async keyOf(deliveryId: string): Promise<string | null> {
    return (await this.db.licenseKey.findUnique({ where: { deliveryId }, select: { key: true } }))?.key ?? null;
  }

  /**
   * Takes one free key with a single conditional UPDATE: it only matches while
   * the key is still free, so two buyers racing for the last key cannot both
   * get it (the loser's UPDATE matches no row and it tries the next key).
   */
  private async takeKey(deliverableId: string, deliveryId: string): Promise<string | null> {
    for (let i = 0; i < MAX_KEY_TRIES; i++) {
      let changed: number;
      try {
        changed = await this.db.$executeRaw`UPDATE "LicenseKey" SET "deliveryId" = ${deliveryId} WHERE "id" = (SELECT "id" FROM "LicenseKey" WHERE "deliverableId" = ${deliverableId} AND "deliveryId" IS NULL ORDER BY "createdAt", "id" LIMIT 1) AND "deliveryId" IS NULL`;
      } catch (err) {
        // The slot got a key from a concurrent run for the same order.
        if (isUniqueViolation(err) || /unique/i.test(String(err))) return this.keyOf(deliveryId);
        throw err;
      }
      if (changed === 1) return this.keyOf(deliveryId);
      const free = await this.db.licenseKey.count({ where: { deliverableId, deliveryId: null } });
      if (free === 0) return null;
    }
    return null;
  }
}
