import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

type Reply = { type: string; text?: string; totalText?: string };

describe.each(databases)('the chat cart shows shipping and tax (%s)', (kind) => {
  let t: TestApp;
  let n = 0;
  const say = async (session: string, text: string, locale?: string) => {
    const r = await t.call('POST', '/api/v1/stores/ct/chat', { session, text, ...(locale && { locale }) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.replies as Reply[];
  };
  const cartCard = async (locale?: string) => {
    const s = `ctsession${++n}`;
    await say(s, 'gooseneck kettle', locale);
    await say(s, 'add 2 of those', locale);
    const card = (await say(s, 'show my cart', locale)).find((r) => r.type === 'cart');
    expect(card).toBeDefined();
    return card?.totalText;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    expect((await t.call('POST', '/api/v1/stores', { slug: 'ct', name: 'Kettle shop', currency: 'EUR' }, adminHeaders)).status).toBe(201);
    const kettle = { title: 'Gooseneck Kettle', variants: [{ sku: 'CT-KETTLE', price: 2000, onHand: 20, weightGrams: 900 }] };
    expect((await t.call('POST', '/api/v1/stores/ct/products', kettle, adminHeaders)).status).toBe(201);
  });
  afterAll(() => t.close());

  it('shows only the total when the store charges neither', async () => {
    expect(await cartCard()).toBe('Total: €40.00');
  });

  it('lists shipping and added tax above the total, included tax below it, in English and Chinese', async () => {
    const flat = { name: 'Standard', kind: 'flat', amount: 490 };
    expect(
      (await t.call('PATCH', '/api/v1/stores/ct', { taxRateBps: 1000, taxInclusive: false, shippingRates: [flat] }, adminHeaders)).status,
    ).toBe(200);
    // (4000 + 490) × 10 % = 449
    expect(await cartCard()).toBe('Shipping: €4.90\nTax: €4.49\nTotal: €49.39');
    expect((await t.call('PATCH', '/api/v1/stores/ct', { taxRateBps: 2000, taxInclusive: true }, adminHeaders)).status).toBe(200);
    // 4490 / 6 = 748.33 → 748, inside the total
    expect(await cartCard()).toBe('Shipping: €4.90\nTotal: €44.90\nIncludes tax: €7.48');
    expect(await cartCard('zh-CN')).toMatch(/^运费：.*4\.90\n合计：.*44\.90\n含税：.*7\.48$/);
  });
});
