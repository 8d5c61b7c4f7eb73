import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/catalog/import/import-csv.ts';
import { parseJsonImport } from '../../src/catalog/import/import-json.ts';
import { groupRows } from '../../src/catalog/import/import-group.ts';
import { planImport } from '../../src/catalog/import/import-plan.ts';
import { NewProductSchema } from '../../src/http/schemas.ts';
import type { ExistingCatalog, ExistingProduct } from '../../src/catalog/import/import.ports.ts';

const empty: ExistingCatalog = { products: [], skuOwners: [], categories: [] };
let seq = 0;
const newId = () => `id-${++seq}`;

function plan(csv: string, existing: ExistingCatalog = empty) {
  const parsed = parseCsv(csv, 'EUR');
  const grouped = groupRows(parsed.rows);
  const planned = planImport(grouped.groups, existing, { currency: 'EUR', newId });
  return { parsed, ...planned, errors: [...parsed.errors, ...grouped.errors, ...planned.errors] };
}

const hoodie: ExistingProduct = {
  id: 'p-hoodie',
  slug: 'hoodie',
  title: 'Hoodie',
  description: 'Warm',
  status: 'active',
  categoryId: 'c-apparel',
  tags: ['winter'],
  images: [],
  translations: {},
  searchText: 'hoodie warm winter apparel hood-m m',
  minPrice: 2490,
  variants: [
    {
      id: 'v-m',
      productId: 'p-hoodie',
      sku: 'HOOD-M',
      title: '',
      options: { size: 'M' },
      price: 2490,
      compareAtPrice: null,
      weightGrams: null,
      position: 0,
      onHand: 5,
      reserved: 2,
      isBundle: false,
    },
    {
      id: 'v-set',
      productId: 'p-hoodie',
      sku: 'HOOD-SET',
      title: '',
      options: {},
      price: 4000,
      compareAtPrice: null,
      weightGrams: null,
      position: 1,
      onHand: 0,
      reserved: 0,
      isBundle: true,
    },
  ],
};
const withHoodie: ExistingCatalog = {
  products: [hoodie],
  skuOwners: [
    { sku: 'HOOD-M', productId: 'p-hoodie', productSlug: 'hoodie' },
    { sku: 'HOOD-SET', productId: 'p-hoodie', productSlug: 'hoodie' },
    { sku: 'MUG-1', productId: 'p-mug', productSlug: 'mug' },
  ],
  categories: [{ id: 'c-apparel', slug: 'apparel', name: 'Apparel', parentId: null, position: 0 }],
};

describe('CSV parsing', () => {
  it('reads decimal prices exactly and numbers lines from the header, across quoted line breaks', () => {
    const csv =
      'handle,title,description,sku,price,compare_at_price,stock\r\nlamp,Lamp,"two\r\nlines",L-1,24.90,0.10,3\r\n\r\nlamp,,,L-2,0.29,,\r\nlamp,,,L-3,abc,,x\r\n';
    const { rows, errors } = parseCsv(csv, 'EUR');
    expect(rows.map((r) => [r.ref.line, r.variant.price, r.variant.compareAtPrice, r.variant.onHand])).toEqual([
      [2, 2490, 10, 3],
      [5, 29, null, undefined],
    ]);
    expect(errors).toEqual([
      { line: 6, sku: 'L-3', field: 'price', reason: expect.stringContaining('"abc"') },
      { line: 6, sku: 'L-3', field: 'stock', reason: expect.stringContaining('whole number') },
    ]);
  });

  it('refuses unknown columns, a missing sku column and too many decimals', () => {
    expect(parseCsv('handle,sku,bundle_items\n', 'EUR').fatal?.reason).toMatch(
      /Unknown column\(s\): bundle_items.*Bundles cannot be imported/,
    );
    expect(parseCsv('handle,price\n', 'EUR').fatal?.reason).toMatch(/sku/);
    expect(parseCsv('handle,sku,price\na,A-1,1.999\n', 'EUR').errors[0]?.field).toBe('price');
    expect(parseCsv('handle,sku,price\na,A-1,1999\n', 'JPY').rows[0]?.variant.price).toBe(1999);
  });

  it('slugifies the title when there is no handle', () => {
    const { rows } = parseCsv('title,sku,price\nCafé Crème Mug,M-1,5\n', 'EUR');
    expect(rows[0]?.slug).toBe('cafe-creme-mug');
  });
});

describe('JSON parsing', () => {
  it('reports schema problems by product and variant index, and refuses bundles', () => {
    const validate = (item: unknown) => NewProductSchema.safeParse(item);
    const parsed = parseJsonImport(
      {
        products: [
          { title: 'Ok', variants: [{ sku: 'OK-1', price: 100 }] },
          {
            title: 'Float',
            variants: [
              { sku: 'F-1', price: 100 },
              { sku: 'F-2', price: 1.5 },
            ],
          },
          { title: 'Set', variants: [{ sku: 'S-1', price: 100, bundle: [{ sku: 'OK-1', quantity: 1 }] }] },
        ],
      },
      validate,
    );
    expect(parsed.rows.map((r) => [r.ref.line, r.ref.variant, r.slug])).toEqual([[1, 1, 'ok']]);
    expect(parsed.errors).toEqual([
      expect.objectContaining({ line: 2, variant: 2, field: 'price' }),
      expect.objectContaining({ line: 3, variant: 1, field: 'bundle' }),
    ]);
    expect(parsed.total).toBe(4);
    expect(parseJsonImport({ nope: true }, validate).fatal).toBeDefined();
  });
});

describe('grouping', () => {
  it('takes product fields from any row and flags a row that contradicts an earlier one', () => {
    const { errors, plan: p } = plan(
      [
        'handle,title,tags,sku,option1_name,option1_value,price',
        'tee,Tee,a|b,T-1,size,S,10',
        'tee,,,T-2,,M,10',
        'tee,Tee!,,T-3,,L,10',
        'tee,,,T-1,,XL,10',
      ].join('\n'),
    );
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [4, 'title'],
      [5, 'sku'],
    ]);
    expect(errors[0]?.reason).toContain('line 2');
    expect(p.products).toHaveLength(1);
    expect(p.variants.map((v) => [v.sku, v.options, v.position])).toEqual([
      ['T-1', { size: 'S' }, 0],
      ['T-2', { size: 'M' }, 1],
    ]);
  });
});

describe('planning against the existing catalog', () => {
  it('creates a product with derived minPrice and searchText, and a missing category once', () => {
    const {
      plan: p,
      counts,
      errors,
    } = plan(
      [
        'handle,title,category,sku,option1_name,option1_value,price',
        'mug,Mug,Kitchen Things,MG-1,colour,Blue,9.50',
        'cup,Cup,kitchen things,CP-1,,,4',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(p.categories).toEqual([{ id: expect.any(String), slug: 'kitchen-things', name: 'Kitchen Things' }]);
    expect(p.products.map((x) => [x.slug, x.minPrice, x.categoryId])).toEqual([
      ['mug', 950, p.categories[0]?.id],
      ['cup', 400, p.categories[0]?.id],
    ]);
    expect(p.products[0]?.searchText).toBe('mug kitchen things mg-1 blue');
    expect(counts).toMatchObject({ products: { created: 2 }, variants: { created: 2 }, categories: { created: 1 } });
  });

  it('updates only what changed, keeps what is not given, and appends new variants', () => {
    const {
      plan: p,
      counts,
      errors,
    } = plan(['handle,sku,price,stock', 'hoodie,HOOD-M,19.90,5', 'hoodie,HOOD-L,29.90,4'].join('\n'), withHoodie);
    expect(errors).toEqual([]);
    expect(p.variantChanges).toEqual([{ id: 'v-m', data: { price: 1990 } }]);
    expect(p.stockChanges).toEqual([]);
    expect(p.variants).toEqual([expect.objectContaining({ sku: 'HOOD-L', productId: 'p-hoodie', position: 2, price: 2990, onHand: 4 })]);
    expect(p.productChanges).toEqual([{ id: 'p-hoodie', data: { minPrice: 1990, searchText: expect.stringContaining('hood-l') } }]);
    expect(counts).toMatchObject({ products: { created: 0, updated: 1 }, variants: { created: 1, updated: 1, unchanged: 0 } });
  });

  it('refuses stock below the reserved units, a SKU of another product, bundles and untitled new products', () => {
    const { errors, plan: p } = plan(
      [
        'handle,title,sku,price,stock',
        'hoodie,,HOOD-M,,1',
        'hoodie,,MUG-1,5,1',
        'hoodie,,HOOD-SET,5,1',
        'newbie,,NEW-1,5,1',
        'hoodie,,HOOD-M2,,1',
      ].join('\n'),
      withHoodie,
    );
    expect(errors.map((e) => [e.line, e.field, e.reason])).toEqual([
      [2, 'stock', expect.stringContaining('2 units of "HOOD-M" are held by unpaid orders')],
      [3, 'sku', expect.stringContaining('belongs to product "mug"')],
      [4, 'sku', expect.stringContaining('is a bundle')],
      [6, 'price', expect.stringContaining('required for a new variant')],
      [5, 'title', expect.stringContaining('"newbie" is new and needs a title')],
    ]);
    expect(p).toMatchObject({ products: [], variants: [], variantChanges: [], stockChanges: [], productChanges: [] });
  });

  it('resolves an existing category by name or slug and clears compare-at prices on a blank cell', () => {
    const { plan: p } = plan(['handle,category,sku,compare_at_price', 'hoodie,apparel,HOOD-M,'].join('\n'), {
      ...withHoodie,
      products: [{ ...hoodie, variants: hoodie.variants.map((v) => ({ ...v, compareAtPrice: 3000 })) }],
    });
    expect(p.categories).toEqual([]);
    expect(p.variantChanges).toEqual([{ id: 'v-m', data: { compareAtPrice: null } }]);
  });
});
