import type { ProductRepository } from '../catalog/catalog.ports.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { availableOf, type VariantRecord } from '../catalog/catalog.types.ts';
import type { DealItem, DealItemLookup } from './group-deal.ports.ts';

/** Variants a slug names (all of an active product's), else the one variant of a SKU for sale. */
export function dealItemLookup(catalog: Pick<CatalogService, 'product'>, products: Pick<ProductRepository, 'findVariantForSale'>): DealItemLookup {
  const item = (title: string, v: VariantRecord, many: boolean): DealItem => ({
    productId: v.productId,
    variantId: v.id,
    sku: v.sku,
    title: many && v.title ? `${title} (${v.title})` : title,
    price: v.price,
    currency: v.currency,
    available: availableOf(v),
    bundle: v.bundleParts !== null,
  });
  return async (storeId, ref) => {
    const product = await catalog.product(storeId, ref).catch(() => null);
    if (product) return product.variants.map((v) => item(product.title, v, product.variants.length > 1));
    const v = await products.findVariantForSale(storeId, ref);
    if (!v || v.product.status !== 'active') return [];
    const siblings = await catalog.product(storeId, v.productId).catch(() => null);
    return [item(v.product.title, v, (siblings?.variants.length ?? 1) > 1)];
  };
}
