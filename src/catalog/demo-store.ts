import type { NewProduct } from './catalog.types.ts';
import type { CatalogService } from './catalog.service.ts';
import { AppError } from '../shared/errors.ts';

/**
 * The demo store a fresh clone starts with: five categories, 40 products
 * (most with size or colour variants), stock levels, a bundle and image URLs.
 */
export const DEMO_STORE = { slug: 'demo', name: 'chatshop demo store', currency: 'EUR', locale: 'en' } as const;

const categories = [
  { slug: 'apparel', name: 'Apparel' },
  { slug: 'hoodies', name: 'Hoodies', parent: 'apparel' },
  { slug: 't-shirts', name: 'T-shirts', parent: 'apparel' },
  { slug: 'drinkware', name: 'Drinkware' },
  { slug: 'coffee', name: 'Coffee' },
  { slug: 'accessories', name: 'Accessories' },
  { slug: 'stationery', name: 'Stationery' },
];

const img = (seed: string) => [{ url: `https://picsum.photos/seed/${seed}/800/800`, alt: seed.replace(/-/g, ' ') }];
const sizes = ['S', 'M', 'L', 'XL'];

function sized(code: string, title: string, category: string, price: number, colours: string[], tags: string[], description: string): NewProduct {
  return {
    title,
    description,
    category,
    tags,
    images: img(code.toLowerCase()),
    variants: colours.flatMap((colour, ci) =>
      sizes.map((size, si) => ({
        sku: `${code}-${colour.slice(0, 3).toUpperCase()}-${size}`,
        title: `${colour} / ${size}`,
        options: { colour: colour.toLowerCase(), size },
        price,
        onHand: 3 + ((ci * 7 + si * 5) % 17),
        weightGrams: 450,
      })),
    ),
  };
}

function simple(code: string, title: string, category: string, price: number, tags: string[], description: string, onHand = 25, compareAtPrice?: number): NewProduct {
  return {
    title,
    description,
    category,
    tags,
    images: img(code.toLowerCase()),
    variants: [{ sku: code, price, onHand, weightGrams: 300, ...(compareAtPrice && { compareAtPrice }) }],
  };
}

export const demoProducts: NewProduct[] = [
  sized('HOOD-CLASSIC', 'Classic Hoodie', 'hoodies', 5900, ['Red', 'Black', 'Grey'], ['hoodie', 'cotton', 'warm'], 'Heavyweight organic cotton hoodie with a kangaroo pocket.'),
  sized('HOOD-ZIP', 'Zip Hoodie', 'hoodies', 6900, ['Navy', 'Black'], ['hoodie', 'zip'], 'Full-zip hoodie, brushed fleece inside.'),
  sized('HOOD-LIGHT', 'Lightweight Hoodie', 'hoodies', 4900, ['Sand', 'Olive'], ['hoodie', 'summer'], 'A thin hoodie for cool summer evenings.'),
  sized('TEE-LOGO', 'Logo T-shirt', 't-shirts', 2500, ['White', 'Black'], ['t-shirt', 'cotton'], 'Soft cotton tee with the chatshop logo.'),
  sized('TEE-PLAIN', 'Plain T-shirt', 't-shirts', 1900, ['White', 'Grey', 'Red'], ['t-shirt', 'basic'], 'The everyday tee. Pre-shrunk.'),
  sized('TEE-COFFEE', 'Coffee Lover T-shirt', 't-shirts', 2700, ['Brown'], ['t-shirt', 'coffee', 'gift'], 'For the friend who talks about grind size.'),
  sized('TEE-LONG', 'Long-sleeve T-shirt', 't-shirts', 2900, ['Black', 'White'], ['t-shirt', 'long sleeve'], 'Long sleeves, same soft cotton.'),
  sized('CREW-KNIT', 'Knit Crewneck', 'apparel', 7900, ['Cream', 'Forest'], ['sweater', 'wool', 'warm'], 'Merino blend crewneck sweater.'),
  simple('MUG-CLASSIC', 'Classic Mug', 'drinkware', 1200, ['mug', 'ceramic'], 'Stoneware mug, 350 ml, dishwasher safe.', 40),
  simple('MUG-ENAMEL', 'Enamel Camp Mug', 'drinkware', 1500, ['mug', 'camping', 'outdoor'], 'Light enamel mug for trips.', 30),
  simple('MUG-LARGE', 'Large Coffee Mug', 'drinkware', 1600, ['mug', 'coffee', 'gift'], 'A 500 ml mug for serious coffee drinkers.', 20),
  simple('MUG-ESPRESSO', 'Espresso Cups (set of 2)', 'drinkware', 1800, ['espresso', 'cup', 'coffee', 'gift'], 'Two porcelain espresso cups with saucers.', 15),
  simple('TUMBLER-STEEL', 'Steel Tumbler', 'drinkware', 2400, ['tumbler', 'insulated', 'travel'], 'Keeps coffee hot for 6 hours.', 18, 2900),
  simple('BOTTLE-GLASS', 'Glass Water Bottle', 'drinkware', 1900, ['bottle', 'glass'], '600 ml borosilicate bottle with sleeve.', 22),
  simple('COF-ETHIOPIA', 'Ethiopia Yirgacheffe Beans 250 g', 'coffee', 1400, ['coffee', 'beans', 'light roast'], 'Floral, citrus, tea-like. Light roast.', 35),
  simple('COF-COLOMBIA', 'Colombia Huila Beans 250 g', 'coffee', 1300, ['coffee', 'beans', 'medium roast'], 'Caramel and red apple. Medium roast.', 35),
  simple('COF-BRAZIL', 'Brazil Cerrado Beans 250 g', 'coffee', 1100, ['coffee', 'beans', 'dark roast'], 'Chocolate and nuts. Dark roast for espresso.', 35),
  simple('COF-DECAF', 'Decaf Swiss Water 250 g', 'coffee', 1350, ['coffee', 'beans', 'decaf'], 'All the taste, none of the buzz.', 12),
  simple('COF-SAMPLER', 'Coffee Sampler (3 x 100 g)', 'coffee', 1900, ['coffee', 'gift', 'sampler'], 'Three origins to find a favourite.', 10),
  simple('GRINDER-HAND', 'Hand Grinder', 'coffee', 4900, ['grinder', 'coffee', 'gift'], 'Conical burr hand grinder, 40 settings.', 8),
  simple('DRIPPER-V60', 'Pour-over Dripper', 'coffee', 2200, ['pour over', 'dripper', 'coffee'], 'Ceramic cone dripper, size 02.', 14),
  simple('FILTERS-100', 'Paper Filters (100)', 'coffee', 600, ['filters', 'coffee'], 'Unbleached paper filters, size 02.', 60),
  simple('KETTLE-GOOSE', 'Gooseneck Kettle', 'coffee', 5900, ['kettle', 'pour over', 'coffee'], 'Stovetop gooseneck kettle, 1 l.', 6, 6900),
  simple('PRESS-FRENCH', 'French Press', 'coffee', 3200, ['french press', 'coffee'], '1 l glass French press with steel frame.', 9),
  simple('CAP-LOGO', 'Logo Cap', 'accessories', 2200, ['cap', 'hat'], 'Six-panel cotton cap, adjustable.', 25),
  simple('BEANIE-WOOL', 'Wool Beanie', 'accessories', 2000, ['beanie', 'hat', 'wool', 'warm'], 'Ribbed merino beanie.', 20),
  simple('TOTE-CANVAS', 'Canvas Tote', 'accessories', 1800, ['tote', 'bag'], 'Heavy canvas tote with inside pocket.', 30),
  simple('SOCKS-STRIPE', 'Striped Socks', 'accessories', 1200, ['socks'], 'Combed cotton socks, one size.', 40),
  simple('SCARF-KNIT', 'Knit Scarf', 'accessories', 3500, ['scarf', 'wool', 'warm'], 'Long knitted scarf.', 0),
  simple('STICKERS-PACK', 'Sticker Pack', 'accessories', 500, ['stickers'], 'Ten vinyl stickers.', 100),
  simple('KEYCHAIN-ENAMEL', 'Enamel Keychain', 'accessories', 800, ['keychain'], 'Hard enamel keychain.', 50),
  simple('UMBRELLA-COMPACT', 'Compact Umbrella', 'accessories', 2600, ['umbrella', 'rain'], 'Folds to 25 cm.', 11),
  simple('NOTEBOOK-A5', 'A5 Dotted Notebook', 'stationery', 1400, ['notebook', 'paper'], '192 pages of 100 g paper.', 45),
  simple('NOTEBOOK-POCKET', 'Pocket Notebooks (3)', 'stationery', 1100, ['notebook', 'pocket'], 'Three slim pocket notebooks.', 30),
  simple('PEN-BRASS', 'Brass Pen', 'stationery', 3900, ['pen', 'brass', 'gift'], 'Machined brass ballpoint pen.', 7),
  simple('PENCILS-6', 'Graphite Pencils (6)', 'stationery', 700, ['pencil'], 'HB to 6B.', 40),
  simple('POSTCARDS-10', 'Postcard Set', 'stationery', 900, ['postcards', 'gift'], 'Ten illustrated postcards.', 25),
  simple('PLANNER-2027', '2027 Weekly Planner', 'stationery', 2400, ['planner', 'calendar'], 'Week-on-two-pages planner.', 16),
  simple('CALENDAR-WALL', 'Wall Calendar 2027', 'stationery', 1900, ['calendar'], 'Twelve photographs, one per month.', 14),
  {
    title: 'Coffee Lover Gift Box',
    description: 'A Large Coffee Mug, the Coffee Sampler and a Logo Cap, boxed. Stock comes from its parts.',
    category: 'coffee',
    tags: ['gift', 'coffee', 'bundle'],
    images: img('gift-box'),
    variants: [
      {
        sku: 'GIFT-COFFEE-BOX',
        price: 4900,
        compareAtPrice: 5700,
        bundle: [
          { sku: 'MUG-LARGE', quantity: 1 },
          { sku: 'COF-SAMPLER', quantity: 1 },
          { sku: 'CAP-LOGO', quantity: 1 },
        ],
      },
    ],
  },
];

/** Creates the demo store once; a store with the slug already there is left alone. */
export async function seedDemoStore(catalog: CatalogService): Promise<{ created: boolean; products: number }> {
  const created = await catalog.createStore(DEMO_STORE);
  if (!created.ok) return { created: false, products: 0 };
  const store = created.value;
  for (const c of categories) {
    const r = await catalog.createCategory(store.id, c);
    if (!r.ok) throw new AppError(r.code, `demo seed: ${r.message}`);
  }
  for (const p of demoProducts) {
    const r = await catalog.createProduct(store, p);
    if (!r.ok) throw new AppError(r.code, `demo seed: ${p.title}: ${r.message}`);
  }
  return { created: true, products: demoProducts.length };
}
