import { AppError, fail, notFound, ok, type Result } from '../shared/errors.ts';
import { slugify } from '../shared/ids.ts';
import type { CategoryRepository, NewStore, ProductRepository, ProductWrite, StoreRepository, InventoryRepository } from './catalog.ports.ts';
import type { NewProduct, NewVariant, ProductPatch, ProductRecord, StoreRecord, VariantPatch, VariantRecord } from './catalog.types.ts';
import { buildSearchText, minPriceOf, searchTextOf } from './search-text.ts';

export interface CatalogDeps {
  stores: StoreRepository;
  categories: CategoryRepository;
  products: ProductRepository;
  inventory: InventoryRepository;
}

/** Stores, categories, products, variants, images, bundles and stock levels. */
const STORE_CACHE_MS = 5_000;

export class CatalogService {
  private readonly storeCache = new Map<string, { store: StoreRecord; until: number }>();

  constructor(private readonly deps: CatalogDeps) {}

  /**
   * A store by slug. Every request starts here, so found stores are kept for a
   * few seconds; a change on this instance is seen at once, on another within
   * STORE_CACHE_MS (store settings are not stock or prices).
   */
  async store(slug: string): Promise<StoreRecord> {
    const now = Date.now();
    const hit = this.storeCache.get(slug);
    if (hit && hit.until > now) return hit.store;
    const s = await this.deps.stores.findBySlug(slug);
    if (!s) throw notFound(`Store "${slug}"`);
    this.storeCache.set(slug, { store: s, until: now + STORE_CACHE_MS });
    return s;
  }

  /** A store by id (the cart's shipping and tax settings), from the same short-lived cache. */
  async storeById(id: string): Promise<StoreRecord> {
    const now = Date.now();
    for (const hit of this.storeCache.values()) if (hit.store.id === id && hit.until > now) return hit.store;
    const s = await this.deps.stores.findById(id);
    if (!s) throw notFound('Store');
    this.storeCache.set(s.slug, { store: s, until: now + STORE_CACHE_MS });
    return s;
  }

  listStores(): Promise<StoreRecord[]> {
    return this.deps.stores.list();
  }

  createStore(input: NewStore): Promise<Result<StoreRecord, 'CONFLICT'>> {
    return this.deps.stores.create(input);
  }

  async updateStore(slug: string, patch: Partial<Omit<NewStore, 'slug' | 'currency'>>): Promise<StoreRecord> {
    const s = await this.store(slug);
    const updated = await this.deps.stores.update(s.id, patch);
    this.storeCache.delete(slug);
    return updated;
  }

  listCategories(storeId: string) {
    return this.deps.categories.list(storeId);
  }

  async createCategory(storeId: string, input: { slug?: string | undefined; name: string; parent?: string | null | undefined; position?: number | undefined }) {
    const parentId = input.parent ? (await this.requireCategory(storeId, input.parent)).id : null;
    const slug = input.slug ?? slugify(input.name);
    if (!slug) return fail('BAD_REQUEST', 'The category name gives no usable slug; pass "slug"');
    return this.deps.categories.create(storeId, { slug, name: input.name, parentId, position: input.position ?? 0 });
  }

  async updateCategory(storeId: string, slugOrId: string, patch: { name?: string | undefined; parent?: string | null | undefined; position?: number | undefined }) {
    const cat = await this.requireCategory(storeId, slugOrId);
    let parentId: string | null | undefined;
    if (patch.parent === null) parentId = null;
    else if (patch.parent !== undefined) {
      parentId = (await this.requireCategory(storeId, patch.parent)).id;
      if (parentId === cat.id) throw new AppError('BAD_REQUEST', 'A category cannot be its own parent');
    }
    const updated = await this.deps.categories.update(storeId, cat.id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(parentId !== undefined && { parentId }),
      ...(patch.position !== undefined && { position: patch.position }),
    });
    if (!updated) throw notFound('Category');
    return updated;
  }

  async removeCategory(storeId: string, slugOrId: string): Promise<void> {
    const cat = await this.requireCategory(storeId, slugOrId);
    await this.deps.categories.remove(storeId, cat.id);
  }

  async product(storeId: string, idOrSlug: string, opts: { includeHidden?: boolean } = {}): Promise<ProductRecord> {
    const p = await this.deps.products.findByIdOrSlug(storeId, idOrSlug);
    if (!p || (!opts.includeHidden && p.status !== 'active')) throw notFound('Product');
    return p;
  }

  /** A variant by id, whatever its product's status (callers check that). */
  variant(storeId: string, variantId: string): Promise<VariantRecord | null> {
    return this.deps.products.findVariantById(storeId, variantId);
  }

  async createProduct(store: StoreRecord, input: NewProduct): Promise<Result<ProductRecord>> {
    const prepared = await this.prepareProduct(store, input);
    if (!prepared.ok) return prepared;
    return this.deps.products.create(store.id, prepared.value);
  }

  /** Validates and resolves a new product (slug, category, bundle parts). */
  async prepareProduct(store: StoreRecord, input: NewProduct): Promise<Result<ProductWrite>> {
    const slug = input.slug ?? slugify(input.title);
    if (!slug) return fail('BAD_REQUEST', 'The title gives no usable slug; pass "slug"');
    if (input.variants.length === 0) return fail('BAD_REQUEST', 'A product needs at least one variant');
    const skus = new Set<string>();
    for (const v of input.variants) {
      if (skus.has(v.sku)) return fail('BAD_REQUEST', `SKU "${v.sku}" appears twice`);
      skus.add(v.sku);
    }
    const category = input.category ? await this.deps.categories.findBySlugOrId(store.id, input.category) : null;
    if (input.category && !category) return fail('BAD_REQUEST', `Category "${input.category}" does not exist`);
    const variants: ProductWrite['variants'] = [];
    for (const v of input.variants) {
      const bundle = v.bundle ? await this.resolveBundle(store.id, v, skus) : undefined;
      if (bundle && !bundle.ok) return bundle;
      variants.push({ ...v, bundle: bundle?.value });
    }
    return ok({
      slug,
      title: input.title,
      description: input.description ?? '',
      status: input.status ?? 'active',
      categoryId: category?.id ?? null,
      tags: normalizeTags(input.tags),
      images: input.images ?? [],
      currency: store.currency,
      minPrice: minPriceOf(input.variants),
      searchText: buildSearchText({ ...input, tags: normalizeTags(input.tags), category: category?.name ?? null }),
      variants,
    });
  }

  private async resolveBundle(storeId: string, v: NewVariant, ownSkus: Set<string>): Promise<Result<{ variantId: string; quantity: number }[]>> {
    const parts = v.bundle ?? [];
    if (parts.length === 0) return fail('BAD_REQUEST', `Bundle "${v.sku}" needs at least one part`);
    const self = parts.find((p) => ownSkus.has(p.sku));
    if (self) return fail('BAD_REQUEST', `Bundle "${v.sku}" cannot contain a variant of its own product ("${self.sku}")`);
    const found = await this.deps.products.findVariantsBySku(storeId, parts.map((p) => p.sku));
    const bySku = new Map(found.map((f) => [f.sku, f]));
    const resolved: { variantId: string; quantity: number }[] = [];
    for (const p of parts) {
      const part = bySku.get(p.sku);
      if (!part) return fail('BAD_REQUEST', `Bundle "${v.sku}" names unknown SKU "${p.sku}"`);
      if (part.bundleParts) return fail('BAD_REQUEST', `Bundle "${v.sku}" cannot contain another bundle ("${p.sku}")`);
      resolved.push({ variantId: part.id, quantity: p.quantity });
    }
    return ok(resolved);
  }

  async updateProduct(storeId: string, idOrSlug: string, patch: ProductPatch): Promise<Result<ProductRecord>> {
    const current = await this.product(storeId, idOrSlug, { includeHidden: true });
    let categoryId: string | null | undefined;
    if (patch.category === null) categoryId = null;
    else if (patch.category !== undefined) {
      const c = await this.deps.categories.findBySlugOrId(storeId, patch.category);
      if (!c) return fail('BAD_REQUEST', `Category "${patch.category}" does not exist`);
      categoryId = c.id;
    }
    const { category: _ignored, ...rest } = patch;
    const tags = patch.tags ? normalizeTags(patch.tags) : current.tags;
    const { images: _images, ...fields } = rest;
    const merged: ProductRecord = { ...current, ...fields, tags, description: patch.description ?? current.description };
    return this.deps.products.update(storeId, current.id, {
      ...rest,
      ...(patch.tags && { tags }),
      ...(categoryId !== undefined && { categoryId }),
      searchText: searchTextOf(merged),
      minPrice: minPriceOf(current.variants),
    });
  }

  async removeProduct(storeId: string, idOrSlug: string): Promise<Result<true>> {
    const p = await this.product(storeId, idOrSlug, { includeHidden: true });
    return this.deps.products.remove(storeId, p.id);
  }

  async addVariant(store: StoreRecord, idOrSlug: string, v: NewVariant): Promise<Result<VariantRecord>> {
    const p = await this.product(store.id, idOrSlug, { includeHidden: true });
    const bundle = v.bundle ? await this.resolveBundle(store.id, v, new Set(p.variants.map((x) => x.sku).concat(v.sku))) : undefined;
    if (bundle && !bundle.ok) return bundle;
    const created = await this.deps.products.addVariant(store.id, p.id, { ...v, bundle: bundle?.value });
    if (created.ok) await this.refresh(p.id);
    return created;
  }

  async updateVariant(storeId: string, idOrSlug: string, variantId: string, patch: VariantPatch): Promise<VariantRecord> {
    const p = await this.product(storeId, idOrSlug, { includeHidden: true });
    if (!p.variants.some((v) => v.id === variantId || v.sku === variantId)) throw notFound('Variant');
    const id = p.variants.find((v) => v.id === variantId || v.sku === variantId)?.id ?? variantId;
    const updated = await this.deps.products.updateVariant(storeId, id, patch);
    await this.refresh(p.id);
    return updated;
  }

  async removeVariant(storeId: string, idOrSlug: string, variantId: string): Promise<Result<true>> {
    const p = await this.product(storeId, idOrSlug, { includeHidden: true });
    const v = p.variants.find((x) => x.id === variantId || x.sku === variantId);
    if (!v) throw notFound('Variant');
    if (p.variants.length === 1) return fail('CONFLICT', 'A product keeps at least one variant; delete the product instead');
    const removed = await this.deps.products.removeVariant(storeId, v.id);
    if (removed.ok) await this.refresh(p.id);
    return removed;
  }

  setStock(storeId: string, sku: string, onHand: number) {
    return this.deps.inventory.setOnHand(storeId, sku, onHand);
  }

  private refresh(productId: string) {
    return this.deps.products.refreshDerived(productId, (p) => ({ searchText: searchTextOf(p), minPrice: minPriceOf(p.variants) }));
  }

  private async requireCategory(storeId: string, slugOrId: string) {
    const c = await this.deps.categories.findBySlugOrId(storeId, slugOrId);
    if (!c) throw notFound(`Category "${slugOrId}"`);
    return c;
  }
}

export function normalizeTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))];
}
