import type { Db } from '../db/client.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import type { CartRepository } from '../../cart/cart.ports.ts';
import type { CartRecord } from '../../cart/cart.types.ts';
import type { ShippingAddress } from '../../cart/shipping-address.ts';
import { fail, ok } from '../../shared/errors.ts';
import { cartRowWhere, loadCart } from './cart-loader.ts';
import { isUniqueViolation } from './prisma-errors.ts';

export class PrismaCartRepository implements CartRepository {
  constructor(private readonly db: Db) {}

  findOpenFor(storeId: string, customerId: string) {
    return cartRowWhere(this.db, Prisma.sql`"openKey" = ${`${storeId}:${customerId}`}`).then((c) => loadCart(this.db, c));
  }

  async openFor(storeId: string, input: { customerId: string | null; currency: string; channel: string | null }) {
    const openKey = input.customerId ? `${storeId}:${input.customerId}` : null;
    if (input.customerId) {
      const existing = await this.findOpenFor(storeId, input.customerId);
      if (existing) return existing;
    }
    // Loaded like an existing cart (one direct query): Prisma's nested include ran ten queries for a cart with no lines yet.
    const created = await this.db.cart.create({ data: { storeId, ...input, openKey } }).catch((err: unknown) => {
      if (!openKey || !isUniqueViolation(err)) throw err;
      return this.db.cart.findUniqueOrThrow({ where: { openKey } });
    });
    return (await loadCart(this.db, created)) as CartRecord;
  }

  async openIdFor(storeId: string, input: { customerId: string; currency: string; channel: string | null }) {
    const openKey = `${storeId}:${input.customerId}`;
    const existing = await this.db.cart.findUnique({ where: { openKey }, select: { id: true } });
    if (existing) return existing.id;
    try {
      return (await this.db.cart.create({ data: { storeId, ...input, openKey }, select: { id: true } })).id;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return (await this.db.cart.findUniqueOrThrow({ where: { openKey }, select: { id: true } })).id;
    }
  }

  get(storeId: string, cartId: string) {
    return cartRowWhere(this.db, Prisma.sql`"id" = ${cartId} AND "storeId" = ${storeId}`).then((c) => loadCart(this.db, c));
  }

  async peek(storeId: string, cartId: string, variantId: string | null) {
    const c = await this.db.cart.findFirst({
      where: { id: cartId, storeId },
      select: { status: true, items: { where: { variantId: variantId ?? '' }, select: { quantity: true } } },
    });
    if (!c) return null;
    const status = c.status === 'converted' || c.status === 'abandoned' ? c.status : 'open';
    return { status, quantity: c.items[0]?.quantity ?? 0 } as const;
  }

  async addQuantity(cartId: string, variantId: string, quantity: number) {
    // A native upsert (INSERT … ON CONFLICT) and a plain touch: no implicit transaction.
    const item = await this.db.cartItem.upsert({
      where: { cartId_variantId: { cartId, variantId } },
      create: { cartId, variantId, quantity },
      update: { quantity: { increment: quantity } },
      select: { quantity: true },
    });
    await this.db.cart.updateMany({ where: { id: cartId }, data: { updatedAt: new Date() } });
    return item.quantity;
  }

  async setQuantity(cartId: string, itemId: string, quantity: number) {
    return (await this.db.cartItem.updateMany({ where: { id: itemId, cartId }, data: { quantity } })).count > 0;
  }

  async removeItem(cartId: string, itemId: string) {
    return (await this.db.cartItem.deleteMany({ where: { id: itemId, cartId } })).count > 0;
  }

  async setShippingAddress(storeId: string, cartId: string, address: ShippingAddress) {
    const json = JSON.parse(JSON.stringify(address)) as Prisma.InputJsonValue;
    return (await this.db.cart.updateMany({ where: { id: cartId, storeId, status: 'open' }, data: { shippingAddress: json } })).count === 1;
  }

  async assignCustomer(storeId: string, cartId: string, customerId: string) {
    try {
      await this.db.cart.update({ where: { id: cartId, storeId, status: 'open' }, data: { customerId, openKey: `${storeId}:${customerId}` } });
      return ok(true as const);
    } catch (err) {
      if (isUniqueViolation(err)) return fail('CONFLICT', 'This customer already has an open cart');
      throw err;
    }
  }

  async setPromotionCode(storeId: string, cartId: string, code: string | null) {
    return (await this.db.cart.updateMany({ where: { id: cartId, storeId, status: 'open' }, data: { promotionCode: code } })).count === 1;
  }
}
