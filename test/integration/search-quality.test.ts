import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import type { ProductListInput } from '../../src/search/search.service.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

type Query = Partial<Omit<ProductListInput, 'storeId'>>;

/** What a shopper asks, and the product that must come first — on every database. */
const table: { name: string; query: Query; first: string }[] = [
  { name: 'two words, one product has both', query: { q: 'red hoodie' }, first: 'classic-hoodie' },
  { name: 'typo: hoddie', query: { q: 'zip hoddie' }, first: 'zip-hoodie' },
  { name: 'typo: mugg', query: { q: 'enamel mugg' }, first: 'enamel-camp-mug' },
  { name: 'typo: expresso', query: { q: 'expresso' }, first: 'espresso-cups-set-of-2' },
  { name: 'typo of 2 edits in a long word: grindr → grinder', query: { q: 'hand grindre' }, first: 'hand-grinder' },
  { name: 'synonym: tee finds t-shirts', query: { q: 'coffee tee' }, first: 'coffee-lover-t-shirt' },
  { name: 'synonym: sweatshirt finds hoodies', query: { q: 'sweatshirt', sort: 'price_asc' }, first: 'lightweight-hoodie' },
  { name: 'synonym: bag finds the tote', query: { q: 'bag' }, first: 'canvas-tote' },
  {
    name: 'synonym and grammar words: present for a coffee lover',
    query: { q: 'present for a coffee lover' },
    first: 'coffee-lover-gift-box',
  },
  { name: 'gift for a coffee lover', query: { q: 'gift for a coffee lover' }, first: 'coffee-lover-gift-box' },
  { name: 'a word begins a longer one: grind', query: { q: 'grind' }, first: 'hand-grinder' },
  { name: 'plural: notebooks, cheapest first', query: { q: 'notebooks', sort: 'price_asc' }, first: 'pocket-notebooks-3' },
  { name: 'price ceiling', query: { q: 'hoodie', maxPrice: 5000 }, first: 'lightweight-hoodie' },
  { name: 'price floor', query: { q: 'coffee', minPrice: 5000 }, first: 'gooseneck-kettle' },
  {
    name: 'option filter: colour red and size M',
    query: { q: 'hoodie', options: { colour: ['red'], size: ['M'] } },
    first: 'classic-hoodie',
  },
  {
    name: 'option filter ignores case, no words',
    query: { options: { Colour: ['RED'], SIZE: ['m'] }, sort: 'price_asc' },
    first: 'plain-t-shirt',
  },
  { name: 'option filter with category', query: { category: 'hoodies', options: { colour: ['navy'] } }, first: 'zip-hoodie' },
  { name: 'category and cheapest', query: { q: 'beans', category: 'coffee', sort: 'price_asc' }, first: 'brazil-cerrado-beans-250-g' },
  { name: 'cheapest mug', query: { q: 'mug', sort: 'price_asc' }, first: 'classic-mug' },
  { name: 'dearest notebook', query: { q: 'notebook', sort: 'price_desc' }, first: 'a5-dotted-notebook' },
  { name: 'newest coffee', query: { q: 'coffee', sort: 'newest' }, first: 'coffee-lover-gift-box' },
  {
    name: 'unknown word dropped when nothing matches all: cheapest mug',
    query: { q: 'cheapest mug', sort: 'price_asc' },
    first: 'classic-mug',
  },
  { name: 'phrase: t-shirt', query: { q: 't-shirt white', sort: 'price_asc' }, first: 'plain-t-shirt' },
  { name: 'Chinese tag (set below)', query: { q: '咖啡杯' }, first: 'large-coffee-mug' },
  { name: 'Chinese substring of two characters', query: { q: '咖啡' }, first: 'large-coffee-mug' },
];

describe.each(databases)(`search quality (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  const search = (query: Query) =>
    t.container.services.search.products({ storeId, sort: 'relevance', limit: 20, statuses: ['active'], ...query });
  let storeId = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
    const tagged = await t.call(
      'PATCH',
      '/api/v1/stores/demo/products/large-coffee-mug',
      { tags: ['mug', 'coffee', 'gift', '咖啡杯'] },
      adminHeaders,
    );
    expect(tagged.status).toBe(200);
  });
  afterAll(() => t.close());

  it.each(table)('$name', async ({ query, first }) => {
    const page = await search(query);
    expect(page.items.map((p) => p.slug)[0], JSON.stringify(page.items.map((p) => p.slug))).toBe(first);
  });

  it('finds only what matches every word', async () => {
    const page = await search({ q: 'red hoodie' });
    expect(page.items.map((p) => p.slug)).toEqual(['classic-hoodie']);
    const tees = await search({ q: 'tee', limit: 50 });
    expect(new Set(tees.items.map((p) => p.category?.slug))).toEqual(new Set(['t-shirts']));
  });

  it('returns nothing for nonsense', async () => {
    expect((await search({ q: 'xqzv blorft' })).items).toEqual([]);
    expect((await search({ q: 'zzzzzzzz' })).items).toEqual([]);
  });

  it('never returns drafts to shoppers', async () => {
    const draft = await t.call('PATCH', '/api/v1/stores/demo/products/french-press', { status: 'draft' }, adminHeaders);
    expect(draft.status).toBe(200);
    for (const sort of ['relevance', 'price_asc', 'newest'] as const) {
      const page = await search({ q: 'french press', sort });
      expect(page.items.map((p) => p.slug)).not.toContain('french-press');
    }
    const seller = await search({ q: 'french press', statuses: ['active', 'draft'] });
    expect(seller.items.map((p) => p.slug)[0]).toBe('french-press');
    await t.call('PATCH', '/api/v1/stores/demo/products/french-press', { status: 'active' }, adminHeaders);
  });

  it.each(['relevance', 'price_asc', 'price_desc', 'newest'] as const)('pages without repeating or losing products (%s)', async (sort) => {
    const all = await search({ q: 'coffee', sort, limit: 50 });
    expect(all.items.length).toBeGreaterThan(10);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await search({ q: 'coffee', sort, limit: 4, cursor });
      seen.push(...r.items.map((p) => p.slug));
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
    }
    expect(seen).toEqual(all.items.map((p) => p.slug));
  });

  it('sorts by price within a text search', async () => {
    const page = await search({ q: 'mug', sort: 'price_asc' });
    const prices = page.items.map((p) => p.minPrice);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it('keeps the index in step with edits, through the REST API', async () => {
    const renamed = await t.call('PATCH', '/api/v1/stores/demo/products/striped-socks', { title: 'Striped Marathon Socks' }, adminHeaders);
    expect(renamed.status).toBe(200);
    expect((await search({ q: 'marathon' })).items.map((p) => p.slug)).toEqual(['striped-socks']);
    expect((await t.call('DELETE', '/api/v1/stores/demo/products/striped-socks', undefined, adminHeaders)).status).toBe(204);
    expect((await search({ q: 'marathon' })).items).toEqual([]);
  });

  it('keeps option filters in step with variant edits, through the REST API', async () => {
    const base = '/api/v1/stores/demo/products/classic-hoodie/variants';
    const teal = { options: { colour: ['TEAL'], size: ['xxl'] }, sort: 'price_asc' as const };
    const added = await t.call(
      'POST',
      base,
      { sku: 'HOODIE-TEAL-XXL', price: 5900, options: { Colour: 'Teal', Size: 'XXL' } },
      adminHeaders,
    );
    expect(added.status).toBe(201);
    expect((await search(teal)).items.map((p) => p.slug)).toEqual(['classic-hoodie']);
    // Ranked by relevance, the option filter runs inside the window of text matches.
    expect((await search({ q: 'hoodie', options: teal.options })).items.map((p) => p.slug)).toEqual(['classic-hoodie']);
    const changed = await t.call('PATCH', `${base}/HOODIE-TEAL-XXL`, { options: { Colour: 'Teal', Size: 'XS' } }, adminHeaders);
    expect(changed.status).toBe(200);
    expect((await search(teal)).items).toEqual([]);
    expect((await search({ q: 'hoodie', options: teal.options })).items).toEqual([]);
    expect((await search({ options: { colour: ['teal'], size: ['xs'] } })).items.map((p) => p.slug)).toEqual(['classic-hoodie']);
    expect((await t.call('DELETE', `${base}/HOODIE-TEAL-XXL`, undefined, adminHeaders)).status).toBe(204);
    expect((await search({ options: { colour: ['teal'] } })).items).toEqual([]);
  });

  it('tells an intent parser the options, categories and words of the catalog', async () => {
    const vocab = await t.container.services.search.vocabulary(storeId);
    expect(vocab.options.size).toEqual(['S', 'M', 'L', 'XL']);
    expect(vocab.options.colour).toEqual(expect.arrayContaining(['red', 'black', 'navy']));
    expect(vocab.categories).toContainEqual({ slug: 'hoodies', name: 'Hoodies' });
    expect(vocab.words).toEqual(expect.arrayContaining(['hoodie', 'espresso', 'mug']));
    expect(vocab.words[0]).toBe('coffee'); // the most frequent word first
  });
});
