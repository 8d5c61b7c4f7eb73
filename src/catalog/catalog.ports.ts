import type { Result } from '../shared/errors.ts';
import type {
  CategoryRecord,
  NewProduct,
  NewVariant,
  ProductPatch,
  ProductRecord,
  StoreRecord,
  VariantPatch,
  VariantRecord,
} from './catalog.types.ts';
import type { ShippingRate } from './store-settings.ts';

export interface NewStore {
  slug: string;
  name: string;
  currency: string;
  locale?: string | undefined;
  reservationTtlSeconds?: number | undefined;
  taxRateBps?: number | undefined;
  taxInclusive?: boolean | undefined;
  shippingRates?: ShippingRate[] | undefined;
  /** null clears it (back to the STAFF_NOTIFY default). */
  staffTelegramChatId?: string | null | undefined;
  staffDiscordChannelId?: string | null | undefined;
}

export interface StoreRepository {
  findBySlug(slug: string): Promise<StoreRecord | null>;
  findById(id: string): Promise<StoreRecord | null>;
  list(): Promise<StoreRecord[]>;
  create(input: NewStore): Promise<Result<StoreRecord, 'CONFLICT'>>;
  update(id: string, patch: Partial<Omit<NewStore, 'slug' | 'currency'>>): Promise<StoreRecord>;
}

export interface CategoryRepository {
  list(storeId: string): Promise<CategoryRecord[]>;
  findBySlugOrId(storeId: string, slugOrId: string): Promise<CategoryRecord | null>;
  create(storeId: string, input: { slug: string; name: string; parentId?: string | null; position?: number }): Promise<Result<CategoryRecord, 'CONFLICT'>>;
  update(storeId: string, id: string, patch: { name?: string; parentId?: string | null; position?: number }): Promise<CategoryRecord | null>;
  remove(storeId: string, id: string): Promise<boolean>;
}

/** A product ready to be written: slug, category and bundle parts resolved. */
export interface ProductWrite extends Omit<NewProduct, 'category' | 'variants' | 'slug'> {
  slug: string;
  categoryId: string | null;
  searchText: string;
  minPrice: number;
  currency: string;
  variants: (Omit<NewVariant, 'bundle'> & { bundle?: { variantId: string; quantity: number }[] | undefined })[];
}

export interface ProductRepository {
  findByIdOrSlug(storeId: string, idOrSlug: string): Promise<ProductRecord | null>;
  findVariantsBySku(storeId: string, skus: string[]): Promise<VariantRecord[]>;
  findVariantById(storeId: string, variantId: string): Promise<VariantRecord | null>;
  /** A variant with the title and status of its product, in one round of queries. */
  findVariantForSale(storeId: string, sku: string): Promise<(VariantRecord & { product: { title: string; status: string } }) | null>;
  create(storeId: string, product: ProductWrite): Promise<Result<ProductRecord, 'CONFLICT'>>;
  update(
    storeId: string,
    id: string,
    patch: Omit<ProductPatch, 'category'> & { categoryId?: string | null; searchText: string; minPrice: number },
  ): Promise<Result<ProductRecord, 'CONFLICT'>>;
  /** Refuses (CONFLICT) while stock of the product is held by unpaid orders. */
  remove(storeId: string, id: string): Promise<Result<true, 'CONFLICT' | 'NOT_FOUND'>>;
  addVariant(storeId: string, productId: string, v: ProductWrite['variants'][number]): Promise<Result<VariantRecord, 'CONFLICT'>>;
  updateVariant(storeId: string, variantId: string, patch: VariantPatch): Promise<VariantRecord>;
  removeVariant(storeId: string, variantId: string): Promise<Result<true, 'CONFLICT'>>;
  /** Recomputes the product's denormalised minPrice and searchText from its rows. */
  refreshDerived(productId: string, derive: (p: ProductRecord) => { searchText: string; minPrice: number }): Promise<ProductRecord>;
}

export interface InventoryRepository {
  /** Sets on-hand stock; refuses to go below what is reserved. */
  setOnHand(storeId: string, sku: string, onHand: number): Promise<Result<VariantRecord, 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST'>>;
}
