import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { decodeVector } from '../../src/infra/prisma/product-embedding.repository.ts';
import type { Job } from '../../src/jobs/job-runner.ts';
import { FakeOpenAI } from '../fakes/openai-api.ts';
import { createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

const EXTRA_PRODUCTS = 30;

describe.each(databases)('semantic search with OpenAI embeddings against a fake server (%s)', (kind) => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let job: Job;
  let storeId: string;
  const baseline = new Map<string, string[]>();

  const titles = async (q: string) => {
    const r = await t.call('GET', `/api/v1/stores/demo/products?q=${encodeURIComponent(q)}&limit=20`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body.items as { title: string }[]).map((p) => p.title);
  };

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    // The query "mug" points where the Enamel Camp Mug does, the Large Coffee Mug nearly so, everything else elsewhere.
    fake.setVector(/^mug$/, [1, 0]);
    // A product's text starts with its title (then description and tags).
    fake.setVector(/^Enamel Camp Mug\n/, [1, 0]);
    fake.setVector(/^Large Coffee Mug\n/, [0.8, 0.6]);
    fake.setVector(/[\s\S]/, [0, 1]);
    t = await createTestApp(kind, { env: { OPENAI_API_KEY: 'sk-test-fake', OPENAI_BASE_URL: fake.baseURL, OPENAI_TIMEOUT_MS: '2000' } });
    const catalog = t.container.services.catalog;
    await seedDemoStore(catalog);
    const store = await catalog.store('demo');
    storeId = store.id;
    for (let i = 0; i < EXTRA_PRODUCTS; i++) {
      const r = await catalog.createProduct(store, { title: `Extra Notebook ${i}`, description: 'Lined pages.', tags: ['notebook'], variants: [{ sku: `EXTRA-${i}`, price: 900 + i, onHand: 5 }] });
      expect(r.ok).toBe(true);
    }
    const found = t.container.jobs.find((j) => j.name === 'embed-products');
    expect(found, 'the embedding job is registered when OPENAI_API_KEY is set').toBeDefined();
    job = found as Job;
    // Full-text order before anything is embedded: re-ranking has nothing to work with yet.
    baseline.set('mug', await titles('mug'));
    baseline.set('coffee mug', await titles('coffee mug'));
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('embeds every active product in batches of at most 64', async () => {
    const active = await t.container.db.product.count({ where: { status: 'active' } });
    expect(active).toBeGreaterThan(64);
    fake.calls.length = 0;
    await job.run();
    const sizes = fake.embeddingRequests().map((b) => (b.input as string[]).length);
    expect(sizes).toEqual([64, active - 64]);
    expect(fake.embeddingRequests()[0]?.encoding_format).toBe('base64');
    expect(await t.container.db.productEmbedding.count()).toBe(active);

    const mug = await t.container.db.product.findFirstOrThrow({ where: { storeId, slug: 'enamel-camp-mug' }, include: { embedding: true } });
    expect(mug.embedding?.model).toBe('text-embedding-3-small');
    expect([...decodeVector(mug.embedding?.vector ?? new Uint8Array())]).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('skips unchanged products and re-embeds only the one whose text changed', async () => {
    fake.calls.length = 0;
    await job.run();
    expect(fake.embeddingRequests()).toHaveLength(0);

    const r = await t.container.services.catalog.updateProduct(storeId, 'brass-pen', { description: 'A heavy brass pen that writes for years.' });
    expect(r.ok).toBe(true);
    await job.run();
    expect(fake.embeddingRequests().map((b) => b.input)).toEqual([[expect.stringContaining('A heavy brass pen that writes for years.')]]);
  });

  it('re-ranks the top full-text results as the query and product vectors dictate', async () => {
    const before = baseline.get('mug') ?? [];
    expect(before).toEqual(expect.arrayContaining(['Enamel Camp Mug', 'Large Coffee Mug']));
    const rest = before.filter((x) => x !== 'Enamel Camp Mug' && x !== 'Large Coffee Mug');
    expect(await titles('mug')).toEqual(['Enamel Camp Mug', 'Large Coffee Mug', ...rest]);
    // The query vector is cached: the same search again asks nothing of the API.
    const asked = fake.embeddingRequests().length;
    await titles('mug');
    expect(fake.embeddingRequests()).toHaveLength(asked);
    // Sorted by price: no re-ranking.
    const byPrice = await t.call('GET', '/api/v1/stores/demo/products?q=mug&sort=price_asc');
    const prices = (byPrice.body.items as { price: { amount: number } }[]).map((p) => p.price.amount);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(byPrice.body.items[0].title).not.toBe('Enamel Camp Mug');
  });

  it('with the API down, search answers in full-text order and the job keeps the change for later', async () => {
    fake.down();
    expect(await titles('coffee mug')).toEqual(baseline.get('coffee mug'));

    const r = await t.container.services.catalog.updateProduct(storeId, 'brass-pen', { description: 'Solid brass.' });
    expect(r.ok).toBe(true);
    await expect(job.run()).rejects.toThrow();
    fake.heal();
    fake.calls.length = 0;
    await job.run();
    expect(fake.embeddingRequests().map((b) => b.input)).toEqual([[expect.stringContaining('Solid brass.')]]);
  });
});
