import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPlan } from '../../src/catalog/import/import.ports.ts';
import { PrismaCatalogImportRepository } from '../../src/infra/prisma/catalog-import.repository.ts';
import { adminHeaders, createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

const csvHeaders = { ...adminHeaders, 'content-type': 'text/csv' };

const HEADER =
  'handle,title,description,category,tags,images,sku,option1_name,option1_value,option2_name,option2_value,price,compare_at_price,stock';
const hoodieCsv = [
  HEADER,
  'hoodie,Hoodie,"Warm, soft",Apparel,winter|cotton,https://img.example/h1.jpg|https://img.example/h2.jpg,HOOD-RED-M,size,M,colour,red,24.90,29.90,5',
  'hoodie,,,,,,HOOD-RED-L,,L,,red,24.90,,3',
  'hoodie,,,,,,HOOD-BLU-M,,M,,blue,26.50,,0',
  'mug,Enamel Mug,,Kitchen,,,MUG-1,,,,,9.00,,12',
].join('\n');

/** 100 products × 100 variants. */
function bigCsv(priceCents: (i: number) => number): string {
  const lines = ['handle,title,sku,option1_name,option1_value,price,stock'];
  for (let p = 0; p < 100; p++) {
    for (let v = 0; v < 100; v++) {
      const i = p * 100 + v;
      const cents = priceCents(i);
      lines.push(
        `prod-${p},Product ${p},SKU-${p}-${v},size,S${v},${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')},${i % 50}`,
      );
    }
  }
  return lines.join('\n');
}

describe.each(databases)('catalog import over REST (%s)', (kind) => {
  let t: TestApp;
  const importCsv = (store: string, body: string, mode = 'atomic') =>
    t.call('POST', `/api/v1/stores/${store}/products/import?mode=${mode}`, body, csvHeaders);
  const product = async (store: string, slug: string) =>
    (await t.call('GET', `/api/v1/stores/${store}/products/${slug}`, undefined, adminHeaders)).body;
  const productCount = (store: string) => t.container.db.product.count({ where: { store: { slug: store } } });

  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const slug of ['imp', 'atom', 'part', 'json', 'big']) {
      const r = await t.call('POST', '/api/v1/stores', { slug, name: `Store ${slug}`, currency: 'EUR' }, adminHeaders);
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('imports a CSV: products, variants, prices, stock, categories, images', async () => {
    const r = await importCsv('imp', hoodieCsv);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      mode: 'atomic',
      committed: true,
      rows: 4,
      failedRows: 0,
      products: { created: 2, updated: 0 },
      variants: { created: 4, updated: 0 },
      categories: { created: 2 },
      errors: [],
    });
    const hoodie = await product('imp', 'hoodie');
    expect(hoodie.title).toBe('Hoodie');
    expect(hoodie.description).toBe('Warm, soft');
    expect(hoodie.category.name).toBe('Apparel');
    expect(hoodie.tags).toEqual(['winter', 'cotton']);
    expect(hoodie.images.map((i: { url: string }) => i.url)).toEqual(['https://img.example/h1.jpg', 'https://img.example/h2.jpg']);
    expect(hoodie.price).toEqual({ amount: 2490, currency: 'EUR' });
    expect(hoodie.variants.map((v: { sku: string }) => v.sku)).toEqual(['HOOD-RED-M', 'HOOD-RED-L', 'HOOD-BLU-M']);
    const [m, l, blue] = hoodie.variants;
    expect(m).toMatchObject({
      options: { size: 'M', colour: 'red' },
      price: { amount: 2490, currency: 'EUR' },
      compareAtPrice: { amount: 2990, currency: 'EUR' },
    });
    expect(m.stock).toEqual({ available: 5, onHand: 5, reserved: 0 });
    expect(l.stock.onHand).toBe(3);
    expect(blue.price).toEqual({ amount: 2650, currency: 'EUR' });
    // searchText is kept: the product is found by an option value.
    const found = await t.call('GET', '/api/v1/stores/imp/products?q=blue');
    expect(found.body.items.map((p: { slug: string }) => p.slug)).toEqual(['hoodie']);
  });

  it('re-imports to update prices and stock without creating anything', async () => {
    const update = ['handle,sku,price,stock', 'hoodie,HOOD-RED-M,19.90,7', 'hoodie,HOOD-RED-L,24.90,3', 'mug,MUG-1,9.00,12'].join('\n');
    const r = await importCsv('imp', update);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      committed: true,
      products: { created: 0, updated: 1, unchanged: 1 },
      variants: { created: 0, updated: 1, unchanged: 2 },
      categories: { created: 0 },
    });
    const hoodie = await product('imp', 'hoodie');
    expect(hoodie.variants[0].price.amount).toBe(1990);
    expect(hoodie.variants[0].stock.onHand).toBe(7);
    expect(hoodie.price.amount).toBe(1990); // minPrice follows
    expect(hoodie.title).toBe('Hoodie'); // columns not given are kept
    expect(await productCount('imp')).toBe(2);

    const again = await importCsv('imp', hoodieCsv);
    expect(again.body.products).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect(again.body.variants).toEqual({ created: 0, updated: 1, unchanged: 3 });
  });

  it('refuses stock below what unpaid orders hold, and a SKU of another product', async () => {
    const v = await t.container.db.variant.findFirstOrThrow({ where: { sku: 'HOOD-RED-L', store: { slug: 'imp' } } });
    await t.container.db.inventoryLevel.update({ where: { variantId: v.id }, data: { reserved: 2 } });
    const r = await importCsv('imp', ['handle,sku,stock', 'hoodie,HOOD-RED-L,1', 'mug,HOOD-RED-M,4'].join('\n'));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('IMPORT_FAILED');
    expect(r.body.errors).toEqual([
      expect.objectContaining({ line: 2, sku: 'HOOD-RED-L', field: 'stock', reason: expect.stringContaining('2 units') }),
      expect.objectContaining({ line: 3, sku: 'HOOD-RED-M', field: 'sku', reason: expect.stringContaining('"hoodie"') }),
    ]);
    expect((await product('imp', 'hoodie')).variants[1].stock).toEqual({ available: 1, onHand: 3, reserved: 2 });
  });

  it('re-checks reserved stock when writing, in case an order held units after the file was read', async () => {
    const repo = new PrismaCatalogImportRepository(t.container.db);
    const v = await t.container.db.variant.findFirstOrThrow({ where: { sku: 'HOOD-BLU-M', store: { slug: 'imp' } } });
    await t.container.db.inventoryLevel.update({ where: { variantId: v.id }, data: { onHand: 10, reserved: 6 } });
    const plan: ImportPlan = {
      categories: [],
      products: [],
      variants: [],
      images: [],
      replaceImagesOf: [],
      productChanges: [],
      variantChanges: [{ id: v.id, data: { price: 1111 } }],
      stockChanges: [{ variantId: v.id, onHand: 5, ref: { line: 9, sku: 'HOOD-BLU-M' } }],
    };
    const atomic = await repo.apply(v.storeId, plan, { atomic: true });
    expect(atomic).toEqual({ committed: false, stockConflicts: [{ ref: { line: 9, sku: 'HOOD-BLU-M' }, reserved: 6 }] });
    const after = await t.container.db.variant.findUniqueOrThrow({ where: { id: v.id }, include: { inventory: true } });
    expect([after.price, after.inventory?.onHand]).toEqual([2650, 10]); // rolled back

    const partial = await repo.apply(v.storeId, plan, { atomic: false });
    expect(partial.committed).toBe(true);
    expect(partial.stockConflicts).toHaveLength(1);
    const later = await t.container.db.variant.findUniqueOrThrow({ where: { id: v.id }, include: { inventory: true } });
    expect([later.price, later.inventory?.onHand]).toEqual([1111, 10]);
  });

  it('atomic mode: one bad row imports nothing and names the line and reason', async () => {
    const csv = [
      'handle,title,sku,price,stock,currency',
      'tee,Tee,TEE-1,10.00,1,',
      'tee,,TEE-2,ten euros,1,',
      'cap,Cap,CAP-1,5.5,1,USD',
      'sock,Sock,SOCK-1,3.00,2,EUR',
    ].join('\n');
    const r = await importCsv('atom', csv);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({
      mode: 'atomic',
      committed: false,
      rows: 4,
      failedRows: 2,
      products: { created: 0 },
      error: { code: 'IMPORT_FAILED' },
    });
    expect(r.body.errors).toEqual([
      { line: 3, sku: 'TEE-2', field: 'price', reason: expect.stringContaining('"ten euros" is not an amount in EUR') },
      { line: 4, sku: 'CAP-1', field: 'currency', reason: expect.stringContaining('USD') },
    ]);
    expect(await productCount('atom')).toBe(0);
  });

  it('partial mode imports the good rows and reports the bad ones', async () => {
    const csv = [
      'handle,title,sku,price,stock',
      'tee,Tee,TEE-1,10.00,1',
      'tee,Other title,TEE-2,11.00,1',
      'tee,,TEE-3,12.00,-1',
      'cap,Cap,CAP-1,5.50,1',
      'cap,,CAP-1,5.50,1',
      'new-thing,,NEW-1,1.00,1',
    ].join('\n');
    const r = await importCsv('part', csv, 'partial');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      mode: 'partial',
      committed: true,
      rows: 6,
      failedRows: 4,
      products: { created: 2 },
      variants: { created: 2 },
    });
    expect(r.body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [3, 'title'],
      [4, 'stock'],
      [6, 'sku'],
      [7, 'title'],
    ]);
    expect((await product('part', 'tee')).variants.map((v: { sku: string }) => v.sku)).toEqual(['TEE-1']);
    expect(await productCount('part')).toBe(2);
  });

  it('imports JSON products exactly like POST /products takes them', async () => {
    const body = [
      {
        title: 'Lamp',
        category: 'lighting',
        tags: ['Home'],
        variants: [{ sku: 'LAMP-1', price: 4500, onHand: 4, options: { colour: 'black' } }],
      },
      { title: 'Bad', variants: [{ sku: 'BAD-1', price: 12.5 }] },
      { title: 'Set', variants: [{ sku: 'SET-1', price: 100, bundle: [{ sku: 'LAMP-1', quantity: 2 }] }] },
    ];
    const r = await t.call('POST', '/api/v1/stores/json/products/import?mode=partial', body, adminHeaders);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ committed: true, products: { created: 1 }, variants: { created: 1 }, categories: { created: 1 } });
    expect(r.body.errors).toEqual([
      expect.objectContaining({ line: 2, variant: 1, field: 'price' }),
      expect.objectContaining({
        line: 3,
        variant: 1,
        field: 'bundle',
        reason: expect.stringContaining('POST /api/v1/stores/{store}/products'),
      }),
    ]);
    const lamp = await product('json', 'lamp');
    expect(lamp.variants[0]).toMatchObject({ sku: 'LAMP-1', price: { amount: 4500, currency: 'EUR' }, stock: { onHand: 4 } });
    expect(lamp.category.slug).toBe('lighting');

    const atomic = await t.call('POST', '/api/v1/stores/json/products/import', body, adminHeaders);
    expect(atomic.status).toBe(422);
    expect(atomic.body.committed).toBe(false);
  });

  it('answers 415 for other content types and 401 without credentials', async () => {
    const xml = await t.call('POST', '/api/v1/stores/imp/products/import', '<products/>', {
      ...adminHeaders,
      'content-type': 'application/xml',
    });
    expect(xml.status).toBe(415);
    expect(xml.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const anon = await t.call('POST', '/api/v1/stores/imp/products/import', hoodieCsv, { 'content-type': 'text/csv' });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('UNAUTHORIZED');
    const badMode = await importCsv('imp', hoodieCsv, 'sometimes');
    expect(badMode.status).toBe(400);
    const doc = await t.call('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths['/api/v1/stores/{store}/products/import'].post.requestBody.content)).toEqual([
      'text/csv',
      'application/json',
    ]);
  });

  it('refuses an unreadable CSV as a whole', async () => {
    const r = await importCsv('imp', 'handle,sku,prize\nhoodie,HOOD-RED-M,1.00');
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toMatchObject({ line: 1, reason: expect.stringContaining('prize') });
  });

  it('imports 10,000 rows (100 products × 100 variants) in seconds, and re-imports them', async () => {
    const first = bigCsv((i) => 1000 + i);
    let start = performance.now();
    const r = await importCsv('big', first);
    const firstMs = Math.round(performance.now() - start);
    expect(r.status).toBe(200);
    expect(r.body.variants.created).toBe(10_000);
    expect(await productCount('big')).toBe(100);

    start = performance.now();
    const again = await importCsv(
      'big',
      bigCsv((i) => 2000 + i),
    );
    const againMs = Math.round(performance.now() - start);
    expect(again.body).toMatchObject({
      committed: true,
      products: { created: 0, updated: 100 },
      variants: { created: 0, updated: 10_000 },
    });
    console.log(`[${kind}] 10,000-row CSV import: first ${firstMs} ms, re-import with all prices changed ${againMs} ms`);
    expect(firstMs).toBeLessThan(10_000);
    expect(againMs).toBeLessThan(10_000);
    const p = await product('big', 'prod-7');
    expect(p.variants).toHaveLength(100);
    expect(p.price.amount).toBe(2700);
  }, 60_000);
});
