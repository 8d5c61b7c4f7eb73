// Reads a cart's row (cartRowWhere) and its lines (loadCart: two plain
// queries, three with bundles) directly, instead of Prisma's nested include,
// which cost ten queries: a chat turn that shows the cart spent most of its
// time there on SQLite's single connection. Every cart the repository
// returns is loaded here, a new one too.
import type { Db } from '../db/client.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import { asDate, asJson, directSql } from '../db/direct-sql.ts';
import type { CartRecord } from '../../cart/cart.types.ts';
import { availableOf } from '../../catalog/catalog.types.ts';
import { parseStoredAddress } from '../../cart/shipping-address.ts';
import { bundleParts, type VariantRow } from '../search/product-page.ts';
import { variantRecord } from './product-mapper.ts';

interface LineRow extends VariantRow {
  itemId: string;
  quantity: number;
  productSlug: string;
  productTitle: string;
  productStatus: string;
  categoryId: string | null;
  imageUrl: string | null;
}

type CartRow = Prisma.CartGetPayload<object>;

/**
 * The one cart row `where` matches, read directly: through Prisma's client
 * (its query compiler and result mapping) the lookup of a chat's open cart
 * cost several times the query itself, on every turn that shows the cart.
 */
export async function cartRowWhere(db: Db, where: Prisma.Sql): Promise<CartRow | null> {
  type Row = Omit<CartRow, 'shippingAddress' | 'createdAt' | 'updatedAt'> & { shippingAddress: unknown; createdAt: unknown; updatedAt: unknown };
  const [r] = await directSql(db).query<Row>(Prisma.sql`
    SELECT "id", "storeId", "customerId", "status", "openKey", "currency", "channel", "shippingAddress", "promotionCode", "createdAt", "updatedAt"
    FROM "Cart" WHERE ${where} LIMIT 1`);
  if (!r) return null;
  // SQLite gives JSON and dates as text, PostgreSQL as values.
  const address = r.shippingAddress === null || r.shippingAddress === undefined ? null : (asJson(r.shippingAddress) as Prisma.JsonValue);
  return { ...r, shippingAddress: address, createdAt: asDate(r.createdAt), updatedAt: asDate(r.updatedAt) };
}

export async function loadCart(db: Db, cart: CartRow | null): Promise<CartRecord | null> {
  if (!cart) return null;
  const rows = await directSql(db).query<LineRow>(Prisma.sql`
    SELECT ci."id" AS "itemId", ci."quantity" AS "quantity",
      v."id", v."productId", v."sku", v."title", v."options", v."price", v."compareAtPrice", v."currency", v."weightGrams", v."position",
      i."onHand", i."reserved", b."id" AS "bundleId",
      p."slug" AS "productSlug", p."title" AS "productTitle", p."status" AS "productStatus", p."categoryId" AS "categoryId",
      (SELECT im."url" FROM "Image" im WHERE im."productId" = p."id" ORDER BY im."position" LIMIT 1) AS "imageUrl"
    FROM "CartItem" ci
      JOIN "Variant" v ON v."id" = ci."variantId"
      JOIN "Product" p ON p."id" = v."productId"
      LEFT JOIN "InventoryLevel" i ON i."variantId" = v."id"
      LEFT JOIN "Bundle" b ON b."variantId" = v."id"
    WHERE ci."cartId" = ${cart.id}
    ORDER BY ci."createdAt", ci."id"`);
  const parts = await bundleParts(db, rows.flatMap((r) => (r.bundleId === null ? [] : [r.bundleId])));
  return {
    id: cart.id,
    storeId: cart.storeId,
    customerId: cart.customerId,
    status: cart.status === 'converted' || cart.status === 'abandoned' ? cart.status : 'open',
    currency: cart.currency,
    channel: cart.channel,
    shippingAddress: parseStoredAddress(cart.shippingAddress),
    promotionCode: cart.promotionCode,
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
    lines: rows.map((r) => {
      const v = variantRecord(r, r, r.bundleId === null ? null : (parts.get(r.bundleId) ?? []));
      return {
        id: r.itemId,
        variantId: v.id,
        productId: r.productId,
        productSlug: r.productSlug,
        productTitle: r.productTitle,
        productStatus: r.productStatus,
        categoryId: r.categoryId,
        sku: v.sku,
        variantTitle: v.title,
        imageUrl: r.imageUrl,
        quantity: r.quantity,
        unitPrice: v.price,
        currency: v.currency,
        available: availableOf(v),
        bundleParts: v.bundleParts?.map((p) => ({ variantId: p.variantId, quantity: p.quantity })) ?? null,
        weightGrams: v.weightGrams,
      };
    }),
  };
}
