/** Plain catalog records: what the catalog module and its callers work with. */
import type { StorePricing } from './store-settings.ts';

export const productStatuses = ['draft', 'active', 'archived'] as const;
export type ProductStatus = (typeof productStatuses)[number];

export interface StoreRecord extends StorePricing {
  id: string;
  slug: string;
  name: string;
  currency: string;
  locale: string;
  reservationTtlSeconds: number;
  /** Where staff hear of paid orders and return requests (null: the STAFF_NOTIFY default). */
  staffTelegramChatId: string | null;
  staffDiscordChannelId: string | null;
  createdAt: Date;
}

export interface CategoryRecord {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  position: number;
}

export interface ImageRecord {
  id: string;
  url: string;
  alt: string;
  position: number;
}

export interface BundlePart {
  variantId: string;
  sku: string;
  quantity: number;
  onHand: number;
  reserved: number;
}

export interface VariantRecord {
  id: string;
  productId: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  price: number;
  compareAtPrice: number | null;
  currency: string;
  weightGrams: number | null;
  position: number;
  onHand: number;
  reserved: number;
  /** Set when this variant is a bundle of other variants. */
  bundleParts: BundlePart[] | null;
}

/** Per-locale text, e.g. { "zh-CN": { title: "经典连帽衫" } }. */
export type ProductTranslations = Record<string, { title?: string | undefined; description?: string | undefined }>;

export interface ProductRecord {
  id: string;
  storeId: string;
  slug: string;
  title: string;
  description: string;
  status: ProductStatus;
  category: CategoryRecord | null;
  tags: string[];
  translations: ProductTranslations;
  minPrice: number;
  currency: string;
  createdAt: Date;
  updatedAt: Date;
  images: ImageRecord[];
  variants: VariantRecord[];
}

export interface NewVariant {
  sku: string;
  title?: string | undefined;
  options?: Record<string, string> | undefined;
  price: number;
  compareAtPrice?: number | null | undefined;
  weightGrams?: number | null | undefined;
  onHand?: number | undefined;
  /** Makes this variant a bundle of the given SKUs. */
  bundle?: { sku: string; quantity: number }[] | undefined;
}

export interface NewProduct {
  slug?: string | undefined;
  title: string;
  description?: string | undefined;
  status?: ProductStatus | undefined;
  category?: string | null | undefined;
  tags?: string[] | undefined;
  translations?: ProductTranslations | undefined;
  images?: { url: string; alt?: string | undefined }[] | undefined;
  variants: NewVariant[];
}

export type ProductPatch = Partial<Omit<NewProduct, 'variants'>>;
export type VariantPatch = Partial<Omit<NewVariant, 'sku' | 'onHand' | 'bundle'>>;

/** Units that can still be sold: onHand - reserved, or derived from a bundle's parts. */
export function availableOf(v: Pick<VariantRecord, 'onHand' | 'reserved' | 'bundleParts'>): number {
  if (v.bundleParts) {
    if (v.bundleParts.length === 0) return 0;
    return Math.max(0, Math.min(...v.bundleParts.map((p) => Math.floor((p.onHand - p.reserved) / p.quantity))));
  }
  return Math.max(0, v.onHand - v.reserved);
}
