import type { Prisma } from '../db/generated/sqlite/client.ts';
import { asJson } from '../db/direct-sql.ts';
import type {
  BundlePart,
  CategoryRecord,
  ProductRecord,
  ProductStatus,
  ProductTranslations,
  VariantRecord,
} from '../../catalog/catalog.types.ts';

export const variantInclude = {
  inventory: true,
  bundle: { include: { items: { include: { variant: { select: { sku: true, inventory: true } } } } } },
} satisfies Prisma.VariantInclude;

export const productInclude = {
  category: true,
  images: { orderBy: { position: 'asc' } },
  variants: { orderBy: [{ position: 'asc' }, { createdAt: 'asc' }], include: variantInclude },
} satisfies Prisma.ProductInclude;

type VariantRow = Prisma.VariantGetPayload<{ include: typeof variantInclude }>;
type ProductRow = Prisma.ProductGetPayload<{ include: typeof productInclude }>;

/** A Json column as Prisma reads it, or as JSON text (the direct SQL path on SQLite). */
const parsed = (json: Prisma.JsonValue): Prisma.JsonValue => asJson(json) as Prisma.JsonValue;

export function toStringMap(stored: Prisma.JsonValue): Record<string, string> {
  const json = parsed(stored);
  const out: Record<string, string> = {};
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    for (const [k, v] of Object.entries(json)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

export function toStringList(stored: Prisma.JsonValue): string[] {
  const json = parsed(stored);
  return Array.isArray(json) ? json.filter((x): x is string => typeof x === 'string') : [];
}

export function toTranslations(stored: Prisma.JsonValue): ProductTranslations {
  const json = parsed(stored);
  const out: ProductTranslations = {};
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    for (const [locale, v] of Object.entries(json)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const title = typeof v.title === 'string' ? v.title : undefined;
        const description = typeof v.description === 'string' ? v.description : undefined;
        out[locale] = { title, description };
      }
    }
  }
  return out;
}

/** The scalar columns of a Variant row, however they were read. */
export interface VariantColumns {
  id: string;
  productId: string;
  sku: string;
  title: string;
  options: Prisma.JsonValue;
  price: number;
  compareAtPrice: number | null;
  currency: string;
  weightGrams: number | null;
  position: number;
}

/** One VariantRecord from its columns, its stock level and (for a bundle) its parts. */
export function variantRecord(
  v: VariantColumns,
  stock: { onHand: number | null; reserved: number | null } | null,
  bundleParts: BundlePart[] | null,
): VariantRecord {
  return {
    id: v.id,
    productId: v.productId,
    sku: v.sku,
    title: v.title,
    options: toStringMap(v.options),
    price: v.price,
    compareAtPrice: v.compareAtPrice,
    currency: v.currency,
    weightGrams: v.weightGrams,
    position: v.position,
    onHand: stock?.onHand ?? 0,
    reserved: stock?.reserved ?? 0,
    bundleParts,
  };
}

export function toVariant(v: VariantRow): VariantRecord {
  return variantRecord(
    v,
    v.inventory,
    v.bundle
      ? v.bundle.items.map((i) => ({
          variantId: i.variantId,
          sku: i.variant.sku,
          quantity: i.quantity,
          onHand: i.variant.inventory?.onHand ?? 0,
          reserved: i.variant.inventory?.reserved ?? 0,
        }))
      : null,
  );
}

export function toCategory(c: { id: string; slug: string; name: string; parentId: string | null; position: number }): CategoryRecord {
  return { id: c.id, slug: c.slug, name: c.name, parentId: c.parentId, position: c.position };
}

export function toProduct(p: ProductRow): ProductRecord {
  return {
    id: p.id,
    storeId: p.storeId,
    slug: p.slug,
    title: p.title,
    description: p.description,
    status: p.status as ProductStatus,
    category: p.category ? toCategory(p.category) : null,
    tags: toStringList(p.tags),
    translations: toTranslations(p.translations),
    minPrice: p.minPrice,
    currency: p.currency,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    images: p.images.map((i) => ({ id: i.id, url: i.url, alt: i.alt, position: i.position })),
    variants: p.variants.map(toVariant),
  };
}
