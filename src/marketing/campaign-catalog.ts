import type { CatalogService } from '../catalog/catalog.service.ts';
import type { ProductRecord } from '../catalog/catalog.types.ts';
import type { SearchService } from '../search/search.service.ts';
import type { CampaignCatalog } from './campaign.ports.ts';

const PAGE = 100;
/** Counting stops here; a preview says "1000+" beyond. */
const MAX_COUNTED = 1000;

/**
 * The campaign's view of the catalog, over the catalog and search services:
 * products for sale only, and a category scope means that very category, as
 * the promotion rules match it (not its sub-categories).
 */
export function campaignCatalog(catalog: CatalogService, search: SearchService): CampaignCatalog {
  async function forSale(storeId: string, category: string | undefined, max: number): Promise<ProductRecord[]> {
    const out: ProductRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await search.products({ storeId, category, sort: 'newest', limit: PAGE, cursor, statuses: ['active'] });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && out.length < max);
    return out;
  }

  return {
    categories: (storeId) => catalog.listCategories(storeId),
    async product(storeId, slug) {
      const p = await catalog.product(storeId, slug).catch(() => null);
      return p && p.slug === slug ? { id: p.id, slug: p.slug, title: p.title } : null;
    },
    async products(storeId, limit) {
      return (await forSale(storeId, undefined, limit)).slice(0, limit).map((p) => ({ slug: p.slug, title: p.title }));
    },
    async affected(storeId, scope, titles) {
      const all = new Map<string, ProductRecord>();
      if (!scope.categoryIds.length && !scope.productIds.length)
        for (const p of await forSale(storeId, undefined, MAX_COUNTED)) all.set(p.id, p);
      for (const id of scope.categoryIds)
        for (const p of await forSale(storeId, id, MAX_COUNTED)) if (p.category?.id === id) all.set(p.id, p);
      for (const id of scope.productIds) {
        const p = await catalog.product(storeId, id).catch(() => null);
        if (p) all.set(p.id, p);
      }
      const list = [...all.values()];
      return { count: list.length, titles: list.slice(0, titles).map((p) => p.title) };
    },
  };
}
