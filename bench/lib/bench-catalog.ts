import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import type { NewProduct } from '../../src/catalog/catalog.types.ts';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';

/**
 * Extra products on top of the demo store so listing and search have real
 * work to do: deterministic (same catalogue every run), spread over the demo
 * categories, with enough stock that no checkout in a run can run out.
 */

export const BENCH_STOCK = 1_000_000;

const nouns: Record<string, string[]> = {
  hoodies: ['Hoodie', 'Pullover Hoodie', 'Zip Hoodie', 'Fleece Hoodie'],
  't-shirts': ['T-shirt', 'Pocket Tee', 'Ringer Tee', 'Long-sleeve Tee'],
  apparel: ['Sweater', 'Cardigan', 'Overshirt', 'Vest'],
  drinkware: ['Mug', 'Coffee Mug', 'Travel Mug', 'Tumbler', 'Water Bottle'],
  coffee: ['Coffee Beans', 'Espresso Blend', 'Cold Brew Pack', 'Drip Coffee Bags'],
  accessories: ['Beanie', 'Scarf', 'Cap', 'Tote Bag', 'Socks'],
  stationery: ['Notebook', 'Pen', 'Planner', 'Sketchbook'],
};
const adjectives = ['Organic', 'Recycled', 'Heavyweight', 'Vintage', 'Everyday', 'Premium', 'Merino', 'Cotton', 'Wool', 'Classic'];
const colours = ['Black', 'Red', 'Navy', 'Forest', 'Sand', 'Grey', 'White', 'Olive'];
const materials = ['organic cotton', 'recycled polyester', 'merino wool', 'stoneware', 'recycled paper', 'arabica'];
const phrases = [
  'Made in small batches.',
  'Ships in recycled packaging.',
  'A favourite with regulars.',
  'Machine washable at 30 degrees.',
  'Pairs well with a slow morning coffee.',
  'Built to last for years.',
  'Designed in Lisbon, made in Porto.',
  'Limited run; restocked every season.',
];

/** mulberry32: a tiny seeded PRNG, so the catalogue is the same every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function benchProducts(count: number): NewProduct[] {
  const rand = prng(20_240_601);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const categories = Object.keys(nouns);
  const out: NewProduct[] = [];
  for (let i = 0; i < count; i++) {
    const category = pick(categories);
    const noun = pick(nouns[category] ?? ['Thing']);
    const adjective = pick(adjectives);
    const colour = pick(colours);
    const title = `${adjective} ${colour} ${noun} No. ${i + 1}`;
    const base = 500 + Math.floor(rand() * 115) * 100;
    const variantCount = 1 + Math.floor(rand() * 3);
    out.push({
      slug: `bench-${i + 1}`,
      title,
      description: `${adjective} ${noun.toLowerCase()} in ${colour.toLowerCase()}, ${pick(materials)}. ${pick(phrases)} ${pick(phrases)}`,
      category,
      tags: [noun.toLowerCase(), adjective.toLowerCase(), colour.toLowerCase()],
      images: [{ url: `https://picsum.photos/seed/bench-${i + 1}/800/800`, alt: title }],
      variants: Array.from({ length: variantCount }, (_, v) => ({
        sku: `BENCH-${i + 1}-${v + 1}`,
        title: ['Standard', 'Large', 'Gift wrapped'][v] ?? `Option ${v + 1}`,
        options: { edition: ['standard', 'large', 'gift'][v] ?? String(v + 1) },
        price: base + v * 300,
        onHand: BENCH_STOCK,
      })),
    });
  }
  return out;
}

/** Creates the products through the catalog service (as the admin API would), `parallel` at a time. */
export async function seedBenchProducts(
  catalog: CatalogService,
  store: StoreRecord,
  products: NewProduct[],
  parallel: number,
): Promise<string[]> {
  const skus: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < products.length) {
        const p = products[next++];
        if (!p) break;
        const r = await catalog.createProduct(store, p);
        if (!r.ok) throw new Error(`bench seed: ${p.title}: ${r.message}`);
        const first = p.variants[0];
        if (first) skus.push(first.sku);
      }
    }),
  );
  return skus.sort();
}
