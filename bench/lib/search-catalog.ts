// A large, deterministic catalog for the search benchmark, written with
// multi-row INSERTs inside one transaction (as the catalog import does); the
// search triggers index every row as it lands.
import { insertRows, type Value } from '../../src/infra/prisma/sql-batches.ts';
import { randomUUID } from 'node:crypto';
import { buildSearchText } from '../../src/catalog/search-text.ts';
import type { Db } from '../../src/infra/db/client.ts';

const categories = ['hoodies', 't-shirts', 'apparel', 'drinkware', 'coffee', 'accessories', 'stationery'] as const;
type CategorySlug = (typeof categories)[number];
const sized: ReadonlySet<CategorySlug> = new Set(['hoodies', 't-shirts', 'apparel']);

const nouns: Record<CategorySlug, string[]> = {
  hoodies: ['Hoodie', 'Pullover Hoodie', 'Zip Hoodie', 'Fleece Hoodie'],
  't-shirts': ['T-shirt', 'Pocket Tee', 'Ringer Tee', 'Long-sleeve T-shirt'],
  apparel: ['Sweater', 'Cardigan', 'Overshirt', 'Vest', 'Jacket'],
  drinkware: ['Mug', 'Coffee Mug', 'Travel Mug', 'Tumbler', 'Water Bottle', 'Espresso Cup'],
  coffee: ['Coffee Beans', 'Espresso Blend', 'Cold Brew Pack', 'Drip Coffee Bags', 'Hand Grinder'],
  accessories: ['Beanie', 'Scarf', 'Cap', 'Tote Bag', 'Socks', 'Umbrella'],
  stationery: ['Notebook', 'Pen', 'Planner', 'Sketchbook', 'Postcards'],
};
const adjectives = [
  'Organic',
  'Recycled',
  'Heavyweight',
  'Vintage',
  'Everyday',
  'Premium',
  'Merino',
  'Cotton',
  'Wool',
  'Classic',
  'Lightweight',
  'Oversized',
];
const colours = ['Black', 'Red', 'Navy', 'Forest', 'Sand', 'Grey', 'White', 'Olive', 'Cream', 'Brown'];
const sizes = ['S', 'M', 'L', 'XL'];
const phrases = [
  'Made in small batches.',
  'Ships in recycled packaging.',
  'A favourite with regulars and a good gift.',
  'Machine washable at 30 degrees.',
  'Pairs well with a slow morning coffee.',
  'Built to last for years.',
  'Designed in Lisbon, made in Porto.',
  'Limited run; restocked every season.',
];
const syllables = [
  'ka',
  'lo',
  'mi',
  'ren',
  'sta',
  'vor',
  'lu',
  'tek',
  'zan',
  'bri',
  'mo',
  'quel',
  'dri',
  'fen',
  'gal',
  'hu',
  'jor',
  'nix',
  'pra',
  'sol',
];

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

const productColumns = [
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
];
const variantColumns = ['id', 'storeId', 'productId', 'sku', 'title', 'options', 'price', 'currency', 'position', 'createdAt', 'updatedAt'];

/** Products written per round of INSERTs (and per progress report). */
const CHUNK = 2_000;

/**
 * Creates a store with the demo categories and `count` products (about 3
 * variants each), in one transaction; returns the store id.
 */
export async function seedSearchCatalog(db: Db, count: number, onProgress: (done: number) => void): Promise<string> {
  const rand = prng(20_261_126);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const brands = Array.from({ length: 3000 }, () => pick(syllables) + pick(syllables) + pick(syllables));
  const store = await db.store.create({ data: { slug: 'bench', name: 'Search bench', currency: 'EUR' } });
  const categoryIds = new Map<CategorySlug, string>();
  for (const [position, slug] of categories.entries()) {
    const c = await db.category.create({ data: { storeId: store.id, slug, name: slug, position } });
    categoryIds.set(slug, c.id);
  }
  const epoch = Date.UTC(2026, 0, 1);

  const rowsOf = (start: number, end: number) => {
    const products: Value[][] = [];
    const variants: Value[][] = [];
    for (let i = start; i < end; i++) {
      const category = pick(categories);
      const noun = pick(nouns[category]);
      const adjective = pick(adjectives);
      const brand = pick(brands);
      const title = `${brand} ${adjective} ${noun}`;
      const description = `${adjective} ${noun.toLowerCase()} by ${brand}. ${pick(phrases)} ${pick(phrases)} ${pick(brands)} ${pick(brands)}.`;
      const tags = [noun.toLowerCase(), adjective.toLowerCase(), ...(i % 100 === 0 ? ['咖啡杯'] : [])];
      const base = 500 + Math.floor(rand() * 115) * 100;
      const productColours = sized.has(category) ? [pick(colours), pick(colours)].filter((c, k, a) => a.indexOf(c) === k) : [];
      const vs = productColours.length
        ? productColours.flatMap((colour) =>
            sizes.map((size) => ({ options: { colour: colour.toLowerCase(), size }, title: `${colour} / ${size}` })),
          )
        : [{ options: {}, title: '' }];
      const id = randomUUID();
      const skus = vs.map((_, v) => `B${i}-${v}`);
      const variantsForText = vs.map((v, k) => ({ ...v, sku: skus[k] ?? '' }));
      const searchText = buildSearchText({ title, description, tags, category, variants: variantsForText });
      const createdAt = new Date(epoch + i * 60_000);
      const status = i % 50 === 7 ? 'draft' : 'active';
      const categoryId = categoryIds.get(category) ?? null;
      products.push([
        id,
        store.id,
        `p-${i}`,
        title,
        description,
        status,
        categoryId,
        JSON.stringify(tags),
        searchText,
        base,
        'EUR',
        createdAt,
        createdAt,
      ]);
      vs.forEach((v, k) =>
        variants.push([
          randomUUID(),
          store.id,
          id,
          skus[k] ?? '',
          v.title,
          JSON.stringify(v.options),
          base + (k % 4) * 100,
          'EUR',
          k,
          createdAt,
          createdAt,
        ]),
      );
    }
    return { products, variants };
  };

  await db.$transaction(
    async (tx) => {
      for (let start = 0; start < count; start += CHUNK) {
        const end = Math.min(count, start + CHUNK);
        const { products, variants } = rowsOf(start, end);
        await insertRows(tx, 'Product', productColumns, products);
        await insertRows(tx, 'Variant', variantColumns, variants);
        onProgress(end);
      }
    },
    { timeout: 600_000, maxWait: 10_000 },
  );
  return store.id;
}

export function categoryIdsOf(db: Db, storeId: string): Promise<{ id: string; slug: string }[]> {
  return db.category.findMany({ where: { storeId }, select: { id: true, slug: true } });
}
