import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import type { ProductRecord } from '../../src/catalog/catalog.types.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const slugs = (ps: ProductRecord[]) => ps.map((p) => p.slug);

describe.each(databases)(`recommendations from real orders and views (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let storeId: string;
  let customerId: string;
  let key = 0;
  const id = async (slug: string) => (await t.container.services.catalog.product(storeId, slug, { includeHidden: true })).id;
  const recs = () => t.container.services.recommendations;
  const analytics = () => t.container.services.analytics;

  /** cart → items → checkout over REST; `pay` moves the order to paid like the payment provider would. */
  async function order(items: [sku: string, quantity: number][], opts: { pay?: boolean; customerId?: string } = {}) {
    const cart = await t.call(
      'POST',
      '/api/v1/stores/demo/carts',
      opts.customerId ? { customerId: opts.customerId } : undefined,
      opts.customerId ? adminHeaders : {},
    );
    for (const [sku, quantity] of items) {
      const r = await t.call('POST', `/api/v1/stores/demo/carts/${cart.body.id}/items`, { sku, quantity });
      expect(r.status).toBe(200);
    }
    const placed = await t.call('POST', `/api/v1/stores/demo/carts/${cart.body.id}/checkout`, undefined, {
      'idempotency-key': `rec-${++key}`,
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.order.id as string;
    if (opts.pay !== false) await move(orderId, 'paid');
    return orderId;
  }
  async function move(orderId: string, to: string) {
    const r = await t.call('POST', `/api/v1/stores/demo/orders/${orderId}/transitions`, { to }, adminHeaders);
    expect(r.status).toBe(200);
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
    customerId = (await t.call('POST', '/api/v1/stores/demo/customers', { displayName: 'Mia' }, adminHeaders)).body.id;

    // The grinder goes with Ethiopian beans three times and with filters once.
    for (let i = 0; i < 3; i++)
      await order([
        ['GRINDER-HAND', 1],
        ['COF-ETHIOPIA', 2],
      ]);
    await order([
      ['GRINDER-HAND', 1],
      ['FILTERS-100', 1],
    ]);
    // Neither an unpaid order nor a refunded one counts as bought.
    await order(
      [
        ['GRINDER-HAND', 1],
        ['PEN-BRASS', 1],
      ],
      { pay: false },
    );
    const refunded = await order([
      ['GRINDER-HAND', 1],
      ['DRIPPER-V60', 3],
    ]);
    await move(refunded, 'refunded');
    // Mia bought the classic mug, then browsed mugs.
    await order([['MUG-CLASSIC', 1]], { customerId });
    for (const slug of ['classic-mug', 'enamel-camp-mug', 'large-coffee-mug']) {
      analytics().record({ storeId, type: 'view', customerId, productId: await id(slug), channel: 'web' });
    }
    await analytics().flush();
  }, 60_000);
  afterAll(() => t?.close());

  it('puts what was bought with the grinder first, ignoring unpaid and refunded orders', async () => {
    const together = slugs(await recs().boughtTogether(storeId, await id('hand-grinder'), 5));
    expect(together).toEqual(['ethiopia-yirgacheffe-beans-250-g', 'paper-filters-100']);
    // and the other way round
    expect(slugs(await recs().boughtTogether(storeId, await id('ethiopia-yirgacheffe-beans-250-g'), 5))).toEqual(['hand-grinder']);
  });

  it('ranks the best seller first in popular', async () => {
    const popular = slugs(await recs().popular(storeId, 3));
    expect(popular.slice(0, 2)).toEqual(['ethiopia-yirgacheffe-beans-250-g', 'hand-grinder']);
    expect(popular).toHaveLength(3);
  });

  it('falls back to the newest products when there is no history in the window', async () => {
    const popular = slugs(await recs().popular(storeId, 3, new Date(Date.now() + 3600_000)));
    const newest = await t.call('GET', '/api/v1/stores/demo/products?sort=newest&limit=3');
    expect(popular).toEqual(newest.body.items.map((p: { slug: string }) => p.slug));
  });

  it('finds other hoodies as similar to a hoodie, in stock and never the hoodie itself', async () => {
    const similar = await recs().similar(storeId, await id('classic-hoodie'), 4);
    expect(slugs(similar).slice(0, 2).sort()).toEqual(['lightweight-hoodie', 'zip-hoodie']);
    expect(slugs(similar)).not.toContain('classic-hoodie');
    expect(similar.every((p) => p.status === 'active')).toBe(true);
  });

  it('puts sold-out products after those in stock; a bundle is in stock when its parts are', async () => {
    const similar = await recs().similar(storeId, await id('wool-beanie'), 20);
    const scarf = slugs(similar).indexOf('knit-scarf');
    expect(scarf).toBeGreaterThan(0);
    const available = (p: ProductRecord) => p.variants.some((v) => v.onHand > v.reserved);
    expect(similar.slice(0, scarf).every(available)).toBe(true);
    expect(available(similar[scarf] as ProductRecord)).toBe(false);
    // Same category, two shared tags (coffee, gift) and the same price as the grinder.
    expect(slugs(await recs().similar(storeId, await id('hand-grinder'), 1))).toEqual(['coffee-lover-gift-box']);
  });

  it('suggests drinkware to a shopper who viewed mugs, without what she already bought', async () => {
    const picks = await recs().forShopper(storeId, { customerId }, 4);
    expect(picks).toHaveLength(4);
    expect(picks.slice(0, 3).map((p) => p.category?.slug)).toEqual(['drinkware', 'drinkware', 'drinkware']);
    expect(slugs(picks)).not.toContain('classic-mug');
  });

  it('personalises for an anonymous chat session and excludes what its checkouts bought', async () => {
    const sessionKey = 'web:session-hoodies';
    const bought = await order([['HOOD-LIGHT-SAN-M', 1]]);
    analytics().record({ storeId, type: 'checkout_started', sessionKey, orderId: bought });
    for (const slug of ['zip-hoodie', 'knit-crewneck'])
      analytics().record({ storeId, type: 'view', sessionKey, productId: await id(slug) });
    await analytics().flush();
    const picks = await recs().forShopper(storeId, { sessionKey }, 5);
    expect(picks[0]?.category?.slug).toBe('hoodies');
    expect(slugs(picks)).not.toContain('lightweight-hoodie');
    // A shopper with no history gets popular products.
    expect(slugs(await recs().forShopper(storeId, { sessionKey: 'web:new' }, 2))).toEqual(slugs(await recs().popular(storeId, 2)));
  });

  it('blends bought-together then similar without repeats for "you may also like"', async () => {
    const grinder = await id('hand-grinder');
    const liked = slugs(await recs().youMayAlsoLike(storeId, grinder, 6));
    expect(liked.slice(0, 2)).toEqual(['ethiopia-yirgacheffe-beans-250-g', 'paper-filters-100']);
    expect(new Set(liked).size).toBe(liked.length);
    expect(liked).toHaveLength(6);
    expect(liked).not.toContain('hand-grinder');
  });

  it('serves both lists and popular items over REST', async () => {
    const r = await t.call('GET', '/api/v1/stores/demo/products/hand-grinder/recommendations?limit=3');
    expect(r.status).toBe(200);
    expect(r.body.boughtTogether.map((p: { slug: string }) => p.slug)).toEqual(['ethiopia-yirgacheffe-beans-250-g', 'paper-filters-100']);
    expect(r.body.similar).toHaveLength(3);
    expect(r.body.similar[0]).toMatchObject({ status: 'active', price: { currency: 'EUR' } });
    const popular = await t.call('GET', '/api/v1/stores/demo/recommendations/popular?limit=1');
    expect(popular.body.items.map((p: { slug: string }) => p.slug)).toEqual(['ethiopia-yirgacheffe-beans-250-g']);
    expect((await t.call('GET', '/api/v1/stores/demo/products/no-such-thing/recommendations')).status).toBe(404);
    expect((await t.call('GET', '/api/v1/stores/demo/recommendations/popular?limit=0')).status).toBe(400);
  });

  it('stops recommending a product once it is archived', async () => {
    const r = await t.call('PATCH', '/api/v1/stores/demo/products/paper-filters-100', { status: 'archived' }, adminHeaders);
    expect(r.status).toBe(200);
    expect(slugs(await recs().boughtTogether(storeId, await id('hand-grinder'), 5))).toEqual(['ethiopia-yirgacheffe-beans-250-g']);
  });
});
