/**
 * The write plan of an import (pure: no I/O): grouped rows (import-group.ts)
 * and what the store already holds become the creates and updates to make.
 */
import { randomUUID } from 'node:crypto';
import { slugify } from '../../shared/ids.ts';
import { normalizeTags } from '../catalog.service.ts';
import { buildSearchText, minPriceOf } from '../search-text.ts';
import { same, sameOptions, type ImportCounts, type ProductGroup, type VariantFields } from './import-group.ts';
import type {
  ExistingCatalog,
  ExistingProduct,
  ExistingVariant,
  ImportError,
  ImportPlan,
  RowRef,
  VariantChangeData,
} from './import.ports.ts';

/** Turns grouped rows and what the store holds into the writes to make. */
export function planImport(
  groups: ProductGroup[],
  existing: ExistingCatalog,
  ctx: { currency: string; newId?: () => string },
): { plan: ImportPlan; errors: ImportError[]; counts: ImportCounts } {
  const planner = new Planner(existing, ctx.currency, ctx.newId ?? randomUUID);
  for (const g of groups) planner.product(g);
  return { plan: planner.plan, errors: planner.errors, counts: planner.counts };
}

interface FinalVariant {
  sku: string;
  title: string;
  options: Record<string, string>;
  price: number;
}

class Planner {
  readonly plan: ImportPlan = {
    categories: [],
    products: [],
    variants: [],
    images: [],
    replaceImagesOf: [],
    productChanges: [],
    variantChanges: [],
    stockChanges: [],
  };
  readonly errors: ImportError[] = [];
  readonly counts: ImportCounts = {
    products: { created: 0, updated: 0, unchanged: 0 },
    variants: { created: 0, updated: 0, unchanged: 0 },
    categories: { created: 0 },
  };
  private readonly products: Map<string, ExistingProduct>;
  private readonly owners: Map<string, { productId: string; productSlug: string }>;
  private readonly categories: CategoryResolver;

  constructor(
    existing: ExistingCatalog,
    private readonly currency: string,
    private readonly newId: () => string,
  ) {
    this.products = new Map(existing.products.map((p) => [p.slug, p]));
    this.owners = new Map(existing.skuOwners.map((o) => [o.sku, o]));
    this.categories = new CategoryResolver(existing.categories);
  }

  private failAll(g: ProductGroup, field: string, reason: string) {
    for (const r of g.rows) this.errors.push({ ...r.ref, sku: r.variant.sku, field, reason });
  }

  product(g: ProductGroup): void {
    const current = this.products.get(g.slug);
    const title = g.fields.title ?? current?.title;
    if (!title) return this.failAll(g, 'title', `product "${g.slug}" is new and needs a title`);
    const category = g.fields.category;
    if (category && !slugify(category) && !this.categories.find(category)) {
      return this.failAll(g, 'category', `category "${category}" gives no usable slug`);
    }
    const productId = current?.id ?? this.newId();
    const step = this.variants(g, current, productId);
    if (!step.accepted) return;

    const cat =
      category === undefined
        ? this.categories.byIdOf(current?.categoryId ?? null)
        : category === null
          ? null
          : this.resolveCategory(category);
    const tags = g.fields.tags ? normalizeTags(g.fields.tags) : (current?.tags ?? []);
    const description = g.fields.description ?? current?.description ?? '';
    const status = g.fields.status ?? current?.status ?? 'active';
    const searchText = buildSearchText({
      title,
      description,
      tags,
      category: cat?.name ?? null,
      translations: current?.translations,
      variants: step.finals,
    });
    const minPrice = minPriceOf(step.finals);
    const images = g.fields.images;

    if (!current) {
      const p = {
        id: productId,
        slug: g.slug,
        title,
        description,
        status,
        categoryId: cat?.id ?? null,
        tags,
        searchText,
        minPrice,
        currency: this.currency,
      };
      this.plan.products.push(p);
      (images ?? []).forEach((img, i) => this.plan.images.push({ productId, url: img.url, alt: img.alt, position: i }));
      this.counts.products.created++;
      return;
    }
    const data: ImportPlan['productChanges'][number]['data'] = {};
    if (title !== current.title) data.title = title;
    if (description !== current.description) data.description = description;
    if (status !== current.status) data.status = status;
    if ((cat?.id ?? null) !== current.categoryId) data.categoryId = cat?.id ?? null;
    if (!same(tags, current.tags)) data.tags = tags;
    if (minPrice !== current.minPrice) data.minPrice = minPrice;
    // Recomputed only when something it is made of changed (JSON key order may differ between databases).
    if (step.searchDirty || Object.keys(data).some((k) => k !== 'minPrice')) data.searchText = searchText;
    if (data.searchText === current.searchText) delete data.searchText;
    const imagesChanged = images !== undefined && !same(images, current.images);
    if (imagesChanged) {
      this.plan.replaceImagesOf.push(productId);
      images.forEach((img, i) => this.plan.images.push({ productId, url: img.url, alt: img.alt, position: i }));
    }
    if (Object.keys(data).length) this.plan.productChanges.push({ id: productId, data });
    if (Object.keys(data).length || imagesChanged || step.changed) this.counts.products.updated++;
    else this.counts.products.unchanged++;
  }

  private resolveCategory(value: string): { id: string; name: string } {
    const found = this.categories.find(value);
    if (found) return found;
    const created = { id: this.newId(), slug: slugify(value), name: value.trim() };
    this.plan.categories.push(created);
    this.categories.add(created);
    this.counts.categories.created++;
    return created;
  }

  /** Plans the group's variants; returns the product's variants after the import. */
  private variants(g: ProductGroup, current: ExistingProduct | undefined, productId: string) {
    const existing = new Map((current?.variants ?? []).map((v) => [v.sku, v]));
    const finals = new Map<string, FinalVariant>((current?.variants ?? []).map((v) => [v.sku, v]));
    const optionNames = [g.fields.option1Name, g.fields.option2Name, g.fields.option3Name];
    let position = Math.max(-1, ...(current?.variants ?? []).map((v) => v.position)) + 1;
    let accepted = 0;
    let changed = false;
    let searchDirty = false;
    for (const row of g.rows) {
      const v = row.variant;
      const ref: RowRef = { ...row.ref, sku: v.sku };
      const error = this.refusal(v, existing.get(v.sku), current);
      const options = error ? undefined : this.optionsOf(v, optionNames, ref);
      if (error) {
        this.errors.push({ ...ref, ...error });
        continue;
      }
      if (options === null) continue;
      const ex = existing.get(v.sku);
      if (!ex) {
        const price = v.price ?? 0;
        const created = {
          id: this.newId(),
          productId,
          sku: v.sku,
          title: v.title ?? '',
          options: options ?? {},
          price,
          compareAtPrice: v.compareAtPrice ?? null,
          currency: this.currency,
          weightGrams: v.weightGrams ?? null,
          position: position++,
          onHand: v.onHand ?? 0,
        };
        this.plan.variants.push(created);
        finals.set(v.sku, created);
        this.counts.variants.created++;
        changed = searchDirty = true;
      } else {
        const diff = this.variantDiff(ex, v, options, ref);
        finals.set(v.sku, { ...ex, ...diff.data });
        if (diff.changed) {
          changed = true;
          this.counts.variants.updated++;
        } else this.counts.variants.unchanged++;
        if (diff.data.title !== undefined || diff.data.options !== undefined) searchDirty = true;
      }
      accepted++;
    }
    return { accepted: accepted > 0, changed, searchDirty, finals: [...finals.values()] };
  }

  /** Why a row cannot be imported at all, if it cannot. */
  private refusal(
    v: VariantFields,
    ex: ExistingVariant | undefined,
    current: ExistingProduct | undefined,
  ): Omit<ImportError, 'line'> | null {
    const owner = this.owners.get(v.sku);
    if (owner && owner.productId !== current?.id) {
      return { field: 'sku', reason: `SKU "${v.sku}" already belongs to product "${owner.productSlug}"; SKUs are unique in a store` };
    }
    if (ex?.isBundle) {
      return { field: 'sku', reason: `"${v.sku}" is a bundle; bundles cannot be imported, change them with the products API` };
    }
    if (!ex && v.price === undefined) return { field: 'price', reason: `price is required for a new variant ("${v.sku}")` };
    if (ex && v.onHand !== undefined && v.onHand < ex.reserved) {
      return {
        field: 'stock',
        reason: `${ex.reserved} units of "${v.sku}" are held by unpaid orders; stock cannot be set below that (got ${v.onHand})`,
      };
    }
    return null;
  }

  /** The variant's options (undefined = not given); null after recording an error. */
  private optionsOf(v: VariantFields, names: (string | undefined)[], ref: RowRef): Record<string, string> | undefined | null {
    if (v.options || !v.optionValues) return v.options;
    const out: Record<string, string> = {};
    for (const [i, value] of v.optionValues.entries()) {
      if (value === undefined) continue;
      const name = names[i];
      if (!name) {
        this.errors.push({
          ...ref,
          field: `option${i + 1}_name`,
          reason: `option${i + 1}_value is given but the product has no option${i + 1}_name`,
        });
        return null;
      }
      out[name] = value;
    }
    return Object.keys(out).length ? out : undefined;
  }

  private variantDiff(ex: ExistingVariant, v: VariantFields, options: Record<string, string> | undefined, ref: RowRef) {
    const data: VariantChangeData = {};
    if (v.title !== undefined && v.title !== ex.title) data.title = v.title;
    if (options !== undefined && !sameOptions(options, ex.options)) data.options = options;
    if (v.price !== undefined && v.price !== ex.price) data.price = v.price;
    if (v.compareAtPrice !== undefined && v.compareAtPrice !== ex.compareAtPrice) data.compareAtPrice = v.compareAtPrice;
    if (v.weightGrams !== undefined && v.weightGrams !== ex.weightGrams) data.weightGrams = v.weightGrams;
    if (Object.keys(data).length) this.plan.variantChanges.push({ id: ex.id, data });
    const stock = v.onHand !== undefined && v.onHand !== ex.onHand;
    if (stock && v.onHand !== undefined) this.plan.stockChanges.push({ variantId: ex.id, onHand: v.onHand, ref });
    return { data, changed: stock || Object.keys(data).length > 0 };
  }
}

/** Finds categories by id, slug, name (any case) or the slug of a name; remembers the ones planned. */
class CategoryResolver {
  private readonly index = new Map<string, { id: string; name: string }>();

  constructor(categories: { id: string; slug: string; name: string }[]) {
    for (const c of categories) this.add(c);
  }

  add(c: { id: string; slug: string; name: string }) {
    const entry = { id: c.id, name: c.name };
    for (const key of [`id:${c.id}`, `slug:${c.slug}`, `name:${c.name.toLowerCase()}`])
      if (!this.index.has(key)) this.index.set(key, entry);
  }

  find(value: string): { id: string; name: string } | undefined {
    const v = value.trim();
    return (
      this.index.get(`id:${v}`) ??
      this.index.get(`slug:${v}`) ??
      this.index.get(`name:${v.toLowerCase()}`) ??
      this.index.get(`slug:${slugify(v)}`)
    );
  }

  byIdOf(id: string | null): { id: string; name: string } | null {
    return id ? (this.index.get(`id:${id}`) ?? null) : null;
  }
}
