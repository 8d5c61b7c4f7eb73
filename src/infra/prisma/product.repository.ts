import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/sqlite/client.ts';
import type { InventoryRepository, ProductRepository, ProductWrite } from '../../catalog/catalog.ports.ts';
import type { ProductRecord, VariantPatch } from '../../catalog/catalog.types.ts';
import { fail, ok } from '../../shared/errors.ts';
import { loadProducts } from '../search/product-page.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { productInclude, toProduct, toVariant, variantInclude } from './product-mapper.ts';

type VariantWrite = ProductWrite['variants'][number];

export function variantCreateData(storeId: string, currency: string, v: VariantWrite, position: number) {
  return {
    storeId,
    sku: v.sku,
    title: v.title ?? '',
    options: v.options ?? {},
    price: v.price,
    compareAtPrice: v.compareAtPrice ?? null,
    currency,
    weightGrams: v.weightGrams ?? null,
    position,
    // A bundle has no stock of its own: it is derived from its parts.
    inventory: { create: { storeId, onHand: v.bundle ? 0 : (v.onHand ?? 0) } },
    ...(v.bundle && { bundle: { create: { items: { create: v.bundle } } } }),
  } satisfies Prisma.VariantUncheckedCreateWithoutProductInput;
}

export class PrismaProductRepository implements ProductRepository, InventoryRepository {
  constructor(private readonly db: Db) {}

  /** The id first, then the light page loader: four plain queries instead of the include's nine or so. */
  async findByIdOrSlug(storeId: string, idOrSlug: string) {
    const [row] = await this.db.product.findMany({ where: { storeId, OR: [{ id: idOrSlug }, { slug: idOrSlug }] }, select: { id: true }, take: 1 });
    if (!row) return null;
    const [p] = await loadProducts(this.db, [row.id]);
    return p ?? null;
  }

  async findVariantsBySku(storeId: string, skus: string[]) {
    const rows = await this.db.variant.findMany({ where: { storeId, sku: { in: skus } }, include: variantInclude });
    return rows.map(toVariant);
  }

  async findVariantForSale(storeId: string, sku: string) {
    const v = await this.db.variant.findUnique({
      where: { storeId_sku: { storeId, sku } },
      include: { ...variantInclude, product: { select: { title: true, status: true } } },
    });
    return v ? { ...toVariant(v), product: v.product } : null;
  }

  async findVariantById(storeId: string, variantId: string) {
    const v = await this.db.variant.findFirst({ where: { storeId, id: variantId }, include: variantInclude });
    return v ? toVariant(v) : null;
  }

  async create(storeId: string, p: ProductWrite) {
    try {
      const created = await this.db.product.create({
        data: {
          storeId,
          slug: p.slug,
          title: p.title,
          description: p.description ?? '',
          status: p.status ?? 'active',
          categoryId: p.categoryId,
          tags: p.tags ?? [],
          ...(p.translations && { translations: p.translations }),
          searchText: p.searchText,
          minPrice: p.minPrice,
          currency: p.currency,
          images: { create: (p.images ?? []).map((img, i) => ({ url: img.url, alt: img.alt ?? '', position: i })) },
          variants: { create: p.variants.map((v, i) => variantCreateData(storeId, p.currency, v, i)) },
        },
        include: productInclude,
      });
      return ok(toProduct(created));
    } catch (err) {
      if (isUniqueViolation(err)) return fail('CONFLICT', `A product with slug "${p.slug}" or one of these SKUs already exists`);
      throw err;
    }
  }

  async update(
    storeId: string,
    id: string,
    patch: Omit<Partial<ProductWrite>, 'variants' | 'currency'> & { searchText: string; minPrice: number },
  ) {
    const { images, ...fields } = patch;
    try {
      const updated = await this.db.product.update({
        where: { id, storeId },
        data: {
          ...fields,
          ...(images && { images: { deleteMany: {}, create: images.map((img, i) => ({ url: img.url, alt: img.alt ?? '', position: i })) } }),
        },
        include: productInclude,
      });
      return ok(toProduct(updated));
    } catch (err) {
      if (isUniqueViolation(err)) return fail('CONFLICT', `A product with slug "${patch.slug ?? ''}" already exists`);
      throw err;
    }
  }

  async remove(storeId: string, id: string) {
    const held = await this.db.reservation.count({ where: { storeId, status: 'active', variant: { productId: id } } });
    if (held > 0) return fail('CONFLICT', 'Unpaid orders hold stock of this product; archive it instead (status "archived")');
    const usedInBundles = await this.db.bundleItem.count({ where: { variant: { productId: id }, bundle: { variant: { productId: { not: id } } } } });
    if (usedInBundles > 0) return fail('CONFLICT', 'A bundle contains this product; change the bundle first');
    const r = await this.db.product.deleteMany({ where: { storeId, id } });
    return r.count ? ok(true as const) : fail('NOT_FOUND', 'Product not found');
  }

  async addVariant(storeId: string, productId: string, v: VariantWrite) {
    const product = await this.db.product.findFirstOrThrow({ where: { storeId, id: productId }, select: { currency: true } });
    const position = await this.db.variant.count({ where: { productId } });
    try {
      const created = await this.db.variant.create({
        data: { productId, ...variantCreateData(storeId, product.currency, v, position) },
        include: variantInclude,
      });
      return ok(toVariant(created));
    } catch (err) {
      if (isUniqueViolation(err)) return fail('CONFLICT', `SKU "${v.sku}" already exists`);
      throw err;
    }
  }

  async updateVariant(storeId: string, variantId: string, patch: VariantPatch) {
    const updated = await this.db.variant.update({ where: { id: variantId, storeId }, data: patch, include: variantInclude });
    return toVariant(updated);
  }

  async removeVariant(storeId: string, variantId: string) {
    const held = await this.db.reservation.count({ where: { variantId, status: 'active' } });
    if (held > 0) return fail('CONFLICT', 'Unpaid orders hold stock of this variant');
    if (await this.db.bundleItem.count({ where: { variantId } })) return fail('CONFLICT', 'A bundle contains this variant');
    await this.db.variant.deleteMany({ where: { storeId, id: variantId } });
    return ok(true as const);
  }

  async refreshDerived(productId: string, derive: (p: ProductRecord) => { searchText: string; minPrice: number }) {
    const current = toProduct(await this.db.product.findUniqueOrThrow({ where: { id: productId }, include: productInclude }));
    const derived = derive(current);
    await this.db.product.update({ where: { id: productId }, data: derived });
    return { ...current, ...derived };
  }

  async setOnHand(storeId: string, sku: string, onHand: number) {
    const variant = await this.db.variant.findUnique({ where: { storeId_sku: { storeId, sku } }, include: { bundle: true } });
    if (!variant) return fail('NOT_FOUND', `No variant with SKU "${sku}"`);
    if (variant.bundle) return fail('BAD_REQUEST', `"${sku}" is a bundle: its stock comes from its parts`);
    // One conditional statement: never below what unpaid orders hold.
    const r = await this.db.inventoryLevel.updateMany({
      where: { variantId: variant.id, reserved: { lte: onHand } },
      data: { onHand },
    });
    if (r.count === 0) {
      const level = await this.db.inventoryLevel.findUnique({ where: { variantId: variant.id } });
      return fail('CONFLICT', `${level?.reserved ?? 0} units of "${sku}" are held by unpaid orders; on-hand stock cannot go below that`);
    }
    const v = await this.db.variant.findUniqueOrThrow({ where: { id: variant.id }, include: variantInclude });
    return ok(toVariant(v));
  }
}
