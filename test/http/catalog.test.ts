import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { adminHeaders, createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

describe.each(databases)('catalog over REST (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedDemoStore(t.container.services.catalog);
  });
  afterAll(() => t.close());

  it('reports health with the database status', async () => {
    const r = await t.call('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', database: { status: 'up', provider: kind } });
  });

  it('lists the demo store products with money as minor units', async () => {
    const r = await t.call('GET', '/api/v1/stores/demo/products?limit=100');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBe(40);
    const hoodie = r.body.items.find((p: { slug: string }) => p.slug === 'classic-hoodie');
    expect(hoodie.price).toEqual({ amount: 5900, currency: 'EUR' });
    expect(hoodie.variants).toHaveLength(12);
    expect(hoodie.variants[0].stock.available).toBeGreaterThan(0);
  });

  it('searches by words, filters by category and price, sorts', async () => {
    const hoodies = await t.call('GET', '/api/v1/stores/demo/products?q=hoodie');
    expect(hoodies.body.items.map((p: { title: string }) => p.title).sort()).toEqual(['Classic Hoodie', 'Lightweight Hoodie', 'Zip Hoodie']);

    const red = await t.call('GET', '/api/v1/stores/demo/products?q=red%20hoodie');
    expect(red.body.items.map((p: { slug: string }) => p.slug)).toEqual(['classic-hoodie']);

    const cheapMugs = await t.call('GET', '/api/v1/stores/demo/products?category=drinkware&maxPrice=1600&sort=price_asc');
    expect(cheapMugs.body.items.map((p: { price: { amount: number } }) => p.price.amount)).toEqual([1200, 1500, 1600]);

    const apparel = await t.call('GET', '/api/v1/stores/demo/products?category=apparel&limit=100');
    expect(apparel.body.items).toHaveLength(8); // sub-categories included

    const dear = await t.call('GET', '/api/v1/stores/demo/products?sort=price_desc&limit=1');
    expect(dear.body.items[0].title).toBe('Knit Crewneck');
  });

  it('pages with a cursor without repeating or losing products', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const qs: string = cursor ? `&cursor=${cursor}` : '';
      const r = await t.call('GET', `/api/v1/stores/demo/products?sort=price_asc&limit=7${qs}`);
      seen.push(...r.body.items.map((p: { id: string }) => p.id));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
  });

  it('shows one product with variants and derived bundle stock', async () => {
    const r = await t.call('GET', '/api/v1/stores/demo/products/coffee-lover-gift-box');
    expect(r.status).toBe(200);
    const [v] = r.body.variants;
    expect(v.bundle).toEqual([
      { sku: 'MUG-LARGE', quantity: 1 },
      { sku: 'COF-SAMPLER', quantity: 1 },
      { sku: 'CAP-LOGO', quantity: 1 },
    ]);
    expect(v.stock.available).toBe(10); // the sampler has 10
  });

  it('answers bad input with a code and a message', async () => {
    const bad = await t.call('GET', '/api/v1/stores/demo/products?limit=5000');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.message).toMatch(/limit/);

    const cursor = await t.call('GET', '/api/v1/stores/demo/products?sort=price_asc&cursor=nonsense');
    expect(cursor.status).toBe(400);

    const missing = await t.call('GET', '/api/v1/stores/nope/products');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');

    const route = await t.call('GET', '/no/such/route');
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('NOT_FOUND');

    const notJson = await t.call('POST', '/api/v1/stores/demo/products', '{"title":', adminHeaders);
    expect(notJson.status).toBe(400);
    expect(JSON.stringify(notJson.body)).not.toMatch(/at .*\.ts/); // no stack traces
  });

  it('needs a credential for seller routes', async () => {
    const product = { title: 'Test Tee', variants: [{ sku: 'TT-1', price: 1000, onHand: 3 }] };
    expect((await t.call('POST', '/api/v1/stores/demo/products', product)).status).toBe(401);
    const wrong = await t.call('POST', '/api/v1/stores/demo/products', product, { authorization: 'Bearer csk_wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
    expect((await t.call('GET', '/api/v1/stores/demo/orders')).status).toBe(401);
  });

  it('lets a seller create, change and delete a product, its variants and stock', async () => {
    const created = await t.call(
      'POST',
      '/api/v1/stores/demo/products',
      {
        title: 'Rain Jacket',
        category: 'apparel',
        tags: ['Rain', 'jacket'],
        images: [{ url: 'https://example.com/jacket.jpg' }],
        variants: [
          { sku: 'JACKET-M', options: { size: 'M' }, price: 8900, onHand: 4 },
          { sku: 'JACKET-L', options: { size: 'L' }, price: 9400, onHand: 2 },
        ],
      },
      adminHeaders,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'rain-jacket', price: { amount: 8900, currency: 'EUR' }, tags: ['rain', 'jacket'], available: 6 });

    const dup = await t.call('POST', '/api/v1/stores/demo/products', { title: 'Other', variants: [{ sku: 'JACKET-M', price: 1 }] }, adminHeaders);
    expect(dup.status).toBe(409);

    const patched = await t.call('PATCH', '/api/v1/stores/demo/products/rain-jacket', { title: 'Storm Jacket', status: 'draft' }, adminHeaders);
    expect(patched.status).toBe(200);
    expect(patched.body.title).toBe('Storm Jacket');
    // A draft is hidden from shoppers but visible to the seller.
    expect((await t.call('GET', '/api/v1/stores/demo/products/rain-jacket')).status).toBe(404);
    expect((await t.call('GET', '/api/v1/stores/demo/products/rain-jacket', undefined, adminHeaders)).status).toBe(200);
    expect((await t.call('GET', '/api/v1/stores/demo/products?q=storm')).body.items).toHaveLength(0);
    expect((await t.call('GET', '/api/v1/stores/demo/products?q=storm&status=any', undefined, adminHeaders)).body.items).toHaveLength(1);

    const v = await t.call('POST', '/api/v1/stores/demo/products/rain-jacket/variants', { sku: 'JACKET-S', price: 7900, onHand: 1 }, adminHeaders);
    expect(v.status).toBe(201);
    const after = await t.call('GET', '/api/v1/stores/demo/products/rain-jacket', undefined, adminHeaders);
    expect(after.body.price.amount).toBe(7900); // lowest variant price kept in step

    const stock = await t.call('PUT', '/api/v1/stores/demo/inventory/JACKET-L', { onHand: 12 }, adminHeaders);
    expect(stock.status).toBe(200);
    expect(stock.body.variant.stock).toEqual({ available: 12, onHand: 12, reserved: 0 });
    expect((await t.call('PUT', '/api/v1/stores/demo/inventory/JACKET-L', { onHand: -1 }, adminHeaders)).status).toBe(400);
    expect((await t.call('PUT', '/api/v1/stores/demo/inventory/NOPE', { onHand: 1 }, adminHeaders)).status).toBe(404);

    expect((await t.call('DELETE', '/api/v1/stores/demo/products/rain-jacket/variants/JACKET-S', undefined, adminHeaders)).status).toBe(204);
    expect((await t.call('DELETE', '/api/v1/stores/demo/products/rain-jacket', undefined, adminHeaders)).status).toBe(204);
    expect((await t.call('GET', '/api/v1/stores/demo/products/rain-jacket', undefined, adminHeaders)).status).toBe(404);
  });

  it('manages categories and stores', async () => {
    const cat = await t.call('POST', '/api/v1/stores/demo/categories', { name: 'Gift Cards', parent: 'accessories' }, adminHeaders);
    expect(cat.status).toBe(201);
    expect(cat.body.slug).toBe('gift-cards');
    const list = await t.call('GET', '/api/v1/stores/demo/categories');
    expect(list.body.items.map((c: { slug: string }) => c.slug)).toContain('gift-cards');

    const store = await t.call('POST', '/api/v1/stores', { slug: 'second', name: 'Second', currency: 'USD' }, adminHeaders);
    expect(store.status).toBe(201);
    expect((await t.call('POST', '/api/v1/stores', { slug: 'second', name: 'Again', currency: 'USD' }, adminHeaders)).status).toBe(409);
    expect((await t.call('POST', '/api/v1/stores', { slug: 'Bad Slug', name: 'x', currency: 'euro' }, adminHeaders)).status).toBe(400);
  });

  it('issues, scopes and revokes API keys', async () => {
    const created = await t.call('POST', '/api/v1/admin/api-keys', { name: 'demo seller', role: 'seller', store: 'demo' }, adminHeaders);
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^csk_/);
    const auth = { authorization: `Bearer ${key}` };
    expect((await t.call('GET', '/api/v1/stores/demo/orders', undefined, auth)).status).toBe(200);
    // Scoped to demo: not another store, not key management.
    expect((await t.call('GET', '/api/v1/stores/second/orders', undefined, auth)).status).toBe(403);
    expect((await t.call('GET', '/api/v1/admin/api-keys', undefined, auth)).status).toBe(403);

    const listed = await t.call('GET', '/api/v1/admin/api-keys', undefined, adminHeaders);
    expect(JSON.stringify(listed.body)).not.toContain(key); // never the secret again

    expect((await t.call('DELETE', `/api/v1/admin/api-keys/${created.body.apiKey.id}`, undefined, adminHeaders)).status).toBe(204);
    expect((await t.call('GET', '/api/v1/stores/demo/orders', undefined, auth)).status).toBe(401);
  });

  it('describes every route in OpenAPI and serves the reference page', async () => {
    const doc = await t.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const p of [
      '/health',
      '/api/v1/stores/{store}/products',
      '/api/v1/stores/{store}/products/{product}',
      '/api/v1/stores/{store}/products/import',
      '/api/v1/stores/{store}/inventory/{sku}',
      '/api/v1/stores/{store}/carts',
      '/api/v1/stores/{store}/carts/{cart}/checkout',
      '/api/v1/stores/{store}/orders/{order}/transitions',
    ]) {
      expect(paths).toContain(p);
    }
    const page = await t.app.request('/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    expect(await (await t.app.request('/docs/assets/docs-init.js')).text()).toContain('/openapi.json');
    const asset = await t.app.request('/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
  });
});
