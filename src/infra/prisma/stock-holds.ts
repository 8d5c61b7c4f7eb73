import type { Prisma } from '../db/generated/sqlite/client.ts';

/** Thrown inside a transaction to roll it back when a unit cannot be held. */
export class HoldFailed extends Error {
  constructor(readonly sku: string) {
    super(`not enough stock for ${sku}`);
  }
}

/**
 * Holds `quantity` units with one conditional statement, atomic on SQLite and
 * PostgreSQL alike: it only matches while enough units are free, so stock can
 * never go negative however many buyers race.
 */
export async function holdStock(tx: Prisma.TransactionClient, variantId: string, sku: string, quantity: number): Promise<void> {
  const changed = await tx.$executeRaw`UPDATE "InventoryLevel" SET "reserved" = "reserved" + ${quantity} WHERE "variantId" = ${variantId} AND "onHand" - "reserved" >= ${quantity}`;
  if (changed !== 1) throw new HoldFailed(sku);
}
