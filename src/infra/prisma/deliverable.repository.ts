import { randomUUID } from 'node:crypto';
import { Prisma } from '../db/generated/sqlite/client.ts';
import type { Db } from '../db/client.ts';
import type { DeliverableKindName, DeliverableRecord, DeliverableRepository } from '../../catalog/deliverables.ts';
import { chunks, id } from './sql-batches.ts';

const kindOf = (k: string): DeliverableKindName => (k === 'file' || k === 'text' ? k : 'license_key');

/** Product deliverables and their license-key pools. */
export class PrismaDeliverableRepository implements DeliverableRepository {
  constructor(private readonly db: Db) {}

  async list(storeId: string, productId: string): Promise<DeliverableRecord[]> {
    const rows = await this.db.productDeliverable.findMany({ where: { storeId, productId }, orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] });
    const counts = await this.db.licenseKey.groupBy({
      by: ['deliverableId'],
      where: { deliverableId: { in: rows.filter((r) => r.kind === 'license_key').map((r) => r.id) }, deliveryId: null },
      _count: { _all: true },
    });
    const total = await this.db.licenseKey.groupBy({
      by: ['deliverableId'],
      where: { deliverableId: { in: rows.filter((r) => r.kind === 'license_key').map((r) => r.id) } },
      _count: { _all: true },
    });
    const free = new Map(counts.map((c) => [c.deliverableId, c._count._all]));
    const all = new Map(total.map((c) => [c.deliverableId, c._count._all]));
    return rows.map((r) => {
      const available = free.get(r.id) ?? 0;
      return {
        id: r.id,
        productId: r.productId,
        kind: kindOf(r.kind),
        label: r.label,
        content: r.content,
        position: r.position,
        keys: r.kind === 'license_key' ? { available, assigned: (all.get(r.id) ?? 0) - available } : null,
      };
    });
  }

  async create(storeId: string, productId: string, d: { kind: DeliverableKindName; label: string; content: string | null }): Promise<DeliverableRecord> {
    const position = await this.db.productDeliverable.count({ where: { productId } });
    const r = await this.db.productDeliverable.create({ data: { storeId, productId, kind: d.kind, label: d.label, content: d.content, position } });
    return { id: r.id, productId, kind: d.kind, label: r.label, content: r.content, position, keys: d.kind === 'license_key' ? { available: 0, assigned: 0 } : null };
  }

  async remove(storeId: string, productId: string, deliverableId: string): Promise<boolean> {
    return (await this.db.productDeliverable.deleteMany({ where: { id: deliverableId, storeId, productId } })).count === 1;
  }

  async addKeys(deliverableId: string, keys: readonly string[]): Promise<{ added: number; duplicates: number }> {
    let added = 0;
    const now = new Date();
    // One statement per chunk; a key already in the pool is skipped by its unique index (both databases).
    // Ids sort in upload order (time, then position), so keys are handed out in the order they were given.
    const stamp = now.getTime().toString(36).padStart(10, '0');
    let position = 0;
    for (const part of chunks([...keys], 1_000)) {
      const values = Prisma.join(part.map((k) => Prisma.sql`(${`lk${stamp}${(position++).toString(36).padStart(4, '0')}${randomUUID().slice(0, 8)}`}, ${deliverableId}, ${k}, ${now})`));
      added += await this.db.$executeRaw`INSERT INTO ${id('LicenseKey')} ("id", "deliverableId", "key", "createdAt") VALUES ${values} ON CONFLICT ("deliverableId", "key") DO NOTHING`;
    }
    return { added, duplicates: keys.length - added };
  }
}
