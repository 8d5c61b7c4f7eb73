import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { Prisma } from '../db/generated/sqlite/client.ts';
import type {
  ApplyResult,
  CatalogImportRepository,
  ExistingCatalog,
  ExistingProduct,
  ImportPlan,
} from '../../catalog/import/import.ports.ts';
import type { ProductStatus } from '../../catalog/catalog.types.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { toCategory, toStringList, toStringMap, toTranslations } from './product-mapper.ts';
import { chunks, insertRows, updateScalars, UPDATE_CHUNK, type ScalarChange } from './sql-batches.ts';

const productSelect = {
  id: true,
  slug: true,
  title: true,
  description: true,
  status: true,
  categoryId: true,
  tags: true,
  translations: true,
  searchText: true,
  minPrice: true,
  images: { select: { url: true, alt: true }, orderBy: { position: 'asc' } },
  variants: {
    select: {
      id: true,
      productId: true,
      sku: true,
      title: true,
      options: true,
      price: true,
      compareAtPrice: true,
      weightGrams: true,
      position: true,
      inventory: { select: { onHand: true, reserved: true } },
      bundle: { select: { id: true } },
    },
  },
} satisfies Prisma.ProductSelect;

type ProductRow = Prisma.ProductGetPayload<{ select: typeof productSelect }>;

/** Thrown inside the transaction to roll it back. */
class Rollback extends Error {}

export class PrismaCatalogImportRepository implements CatalogImportRepository {
  constructor(private readonly db: Db) {}

  async load(storeId: string, keys: { slugs: string[]; skus: string[] }): Promise<ExistingCatalog> {
    const products: ExistingProduct[] = [];
    for (const slugs of chunks([...new Set(keys.slugs)], UPDATE_CHUNK)) {
      const rows = await this.db.product.findMany({ where: { storeId, slug: { in: slugs } }, select: productSelect });
      products.push(...rows.map(toExisting));
    }
    const skuOwners: ExistingCatalog['skuOwners'] = [];
    for (const skus of chunks([...new Set(keys.skus)], UPDATE_CHUNK)) {
      const rows = await this.db.variant.findMany({
        where: { storeId, sku: { in: skus } },
        select: { sku: true, productId: true, product: { select: { slug: true } } },
      });
      skuOwners.push(...rows.map((r) => ({ sku: r.sku, productId: r.productId, productSlug: r.product.slug })));
    }
    const categories = (await this.db.category.findMany({ where: { storeId } })).map(toCategory);
    return { products, skuOwners, categories };
  }

  async apply(storeId: string, plan: ImportPlan, opts: { atomic: boolean }): Promise<ApplyResult> {
    const stockConflicts: ApplyResult['stockConflicts'] = [];
    const now = new Date();
    try {
      await this.db.$transaction(
        async (tx) => {
          await insertNew(tx, storeId, plan, now);
          await updateChanged(tx, plan, now);
          stockConflicts.push(...(await setStock(tx, plan.stockChanges, now)));
          if (opts.atomic && stockConflicts.length) throw new Rollback();
        },
        { timeout: 120_000, maxWait: 10_000 },
      );
      return { committed: true, stockConflicts };
    } catch (err) {
      if (err instanceof Rollback) return { committed: false, stockConflicts };
      if (isUniqueViolation(err) || isRawUniqueViolation(err)) {
        return {
          committed: false,
          stockConflicts: [],
          conflict:
            'A product slug or SKU of this import was created by someone else meanwhile; nothing was imported, run the import again',
        };
      }
      throw err;
    }
  }
}

/* Bulk writes go through the batched SQL of sql-batches.ts (10,000 rows via Prisma's createMany took 8-15 s). */

/** New rows in dependency order: categories, products, images, variants, stock levels. */
async function insertNew(tx: Prisma.TransactionClient, storeId: string, plan: ImportPlan, now: Date): Promise<void> {
  await insertRows(
    tx,
    'Category',
    ['id', 'storeId', 'slug', 'name', 'createdAt'],
    plan.categories.map((c) => [c.id, storeId, c.slug, c.name, now]),
  );
  await insertRows(
    tx,
    'Product',
    [
      'id',
      'storeId',
      'slug',
      'title',
      'description',
      'status',
      'categoryId',
      'tags',
      'searchText',
      'minPrice',
      'currency',
      'createdAt',
      'updatedAt',
    ],
    plan.products.map((p) => [
      p.id,
      storeId,
      p.slug,
      p.title,
      p.description,
      p.status,
      p.categoryId,
      JSON.stringify(p.tags),
      p.searchText,
      p.minPrice,
      p.currency,
      now,
      now,
    ]),
  );
  for (const ids of chunks(plan.replaceImagesOf, UPDATE_CHUNK)) await tx.image.deleteMany({ where: { productId: { in: ids } } });
  await insertRows(
    tx,
    'Image',
    ['id', 'productId', 'url', 'alt', 'position'],
    plan.images.map((i) => [randomUUID(), i.productId, i.url, i.alt, i.position]),
  );
  await insertRows(
    tx,
    'Variant',
    [
      'id',
      'storeId',
      'productId',
      'sku',
      'title',
      'options',
      'price',
      'compareAtPrice',
      'currency',
      'weightGrams',
      'position',
      'createdAt',
      'updatedAt',
    ],
    plan.variants.map((v) => [
      v.id,
      storeId,
      v.productId,
      v.sku,
      v.title,
      JSON.stringify(v.options),
      v.price,
      v.compareAtPrice,
      v.currency,
      v.weightGrams,
      v.position,
      now,
      now,
    ]),
  );
  await insertRows(
    tx,
    'InventoryLevel',
    ['variantId', 'storeId', 'onHand', 'reserved', 'updatedAt'],
    plan.variants.map((v) => [v.id, storeId, v.onHand, 0, now]),
  );
}

/**
 * Changed products and variants. Scalar columns go in batched
 * `SET col = CASE id WHEN … THEN … ELSE col END` statements; JSON columns
 * (tags, options), which rarely change, one row at a time through Prisma.
 */
async function updateChanged(tx: Prisma.TransactionClient, plan: ImportPlan, now: Date): Promise<void> {
  const productScalars: ScalarChange[] = [];
  for (const { id: rowId, data } of plan.productChanges) {
    const { tags, ...rest } = data;
    if (tags) await tx.product.update({ where: { id: rowId }, data: { tags } });
    productScalars.push({ id: rowId, values: rest });
  }
  const variantScalars: ScalarChange[] = [];
  for (const { id: rowId, data } of plan.variantChanges) {
    const { options, ...rest } = data;
    if (options) await tx.variant.update({ where: { id: rowId }, data: { options } });
    variantScalars.push({ id: rowId, values: rest });
  }
  await updateScalars(tx, 'Product', 'id', productScalars, now);
  await updateScalars(tx, 'Variant', 'id', variantScalars, now);
}

/** On-hand stock, never below what unpaid orders hold at this moment (checked in the same statement). */
async function setStock(
  tx: Prisma.TransactionClient,
  changes: ImportPlan['stockChanges'],
  now: Date,
): Promise<ApplyResult['stockConflicts']> {
  const conflicts: ApplyResult['stockConflicts'] = [];
  for (const part of chunks(changes, UPDATE_CHUNK)) {
    const target = Prisma.sql`CASE "variantId" ${Prisma.join(
      part.map((s) => Prisma.sql`WHEN ${s.variantId} THEN CAST(${s.onHand} AS INTEGER)`),
      ' ',
    )} END`;
    const ids = Prisma.join(part.map((s) => s.variantId));
    const changed =
      await tx.$executeRaw`UPDATE "InventoryLevel" SET "onHand" = ${target}, "updatedAt" = ${now} WHERE "variantId" IN (${ids}) AND "reserved" <= ${target}`;
    if (changed === part.length) continue;
    const levels = await tx.inventoryLevel.findMany({
      where: { variantId: { in: part.map((s) => s.variantId) } },
      select: { variantId: true, onHand: true, reserved: true },
    });
    const byId = new Map(levels.map((l) => [l.variantId, l]));
    for (const s of part) {
      const level = byId.get(s.variantId);
      if (level && level.reserved > s.onHand) conflicts.push({ ref: s.ref, reserved: level.reserved });
    }
  }
  return conflicts;
}

/** A unique violation surfacing from raw SQL (P2010) rather than from a model call (P2002). */
function isRawUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err) || err.code !== 'P2010') return false;
  const message = err instanceof Error ? err.message : '';
  return /unique/i.test(message);
}

function toExisting(p: ProductRow): ExistingProduct {
  return {
    id: p.id,
    slug: p.slug,
    title: p.title,
    description: p.description,
    status: p.status as ProductStatus,
    categoryId: p.categoryId,
    tags: toStringList(p.tags),
    images: p.images,
    translations: toTranslations(p.translations),
    searchText: p.searchText,
    minPrice: p.minPrice,
    variants: p.variants.map((v) => ({
      id: v.id,
      productId: v.productId,
      sku: v.sku,
      title: v.title,
      options: toStringMap(v.options),
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      weightGrams: v.weightGrams,
      position: v.position,
      onHand: v.inventory?.onHand ?? 0,
      reserved: v.inventory?.reserved ?? 0,
      isBundle: v.bundle !== null,
    })),
  };
}
