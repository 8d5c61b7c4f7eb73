import type { DeliverableKind, OrderDeliveryRecord } from './orders.types.ts';

/** A slot to create: one per item and deliverable, and per unit for license keys. */
export interface DeliverySlot {
  slot: string;
  deliverableId: string;
  productTitle: string;
  kind: DeliverableKind;
  label: string;
  /** File URL or text; null for a license key (drawn from the pool). */
  content: string | null;
}

/** The deliverables of an order's items, with how many units were bought. */
export interface DeliverablePlanLine {
  itemId: string;
  productTitle: string;
  quantity: number;
  deliverables: { id: string; kind: DeliverableKind; label: string; content: string | null }[];
}

export interface DigitalDeliveryRepository {
  plan(orderId: string): Promise<DeliverablePlanLine[]>;
  /** Creates the slots that do not exist yet (one row per (order, slot), ever). */
  createSlots(orderId: string, slots: readonly DeliverySlot[], now: Date): Promise<void>;
  /**
   * Gives every empty license-key slot of the order a key from its pool, each
   * key to one slot only (a conditional UPDATE). Returns how many stay empty.
   */
  assignKeys(orderId: string, now: Date): Promise<number>;
  /** Marks filled, unsent deliveries as sent; returns those this call claimed. */
  claimUnsent(orderId: string, now: Date): Promise<OrderDeliveryRecord[]>;
  /** Paid orders (oldest first) with empty slots of this deliverable. */
  ordersAwaiting(deliverableId: string, limit: number): Promise<{ id: string; storeId: string }[]>;
}
