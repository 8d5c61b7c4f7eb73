import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSalesReport } from '../../src/analytics/sales-report.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { buy, createShop, demoDecide, demoPage } from '../helpers/shop.ts';
import { chartLink } from '../../src/http/chart-link.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const DAY = 24 * 3600 * 1000;

describe.each(databases)(`sales report: service, text and GET /stats (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let storeId: string;

  async function paidOrder(slug: string, lines: Record<string, number>): Promise<string> {
    const r = await buy(t, slug, lines);
    expect(r.status).toBe(201);
    const id = r.body.order.id as string;
    expect((await demoDecide(t, id, 'approve', (await demoPage(t, id)).token ?? '')).status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createShop(t, 'stats'); // Enamel Mug 12.50 EUR, Brewing E-book 9.00 EUR
    await createShop(t, 'elsewhere');
    storeId = (await t.container.services.catalog.store('stats')).id;

    await paidOrder('stats', { 'stats-MUG': 2 }); // 25.00
    await paidOrder('stats', { 'stats-MUG': 1, 'stats-EBOOK': 1 }); // 21.50
    const refunded = await paidOrder('stats', { 'stats-EBOOK': 3 }); // 27.00, 10.00 refunded below
    expect((await t.call('POST', `/api/v1/stores/stats/orders/${refunded}/refunds`, { amount: 1000 }, adminHeaders)).status).toBe(201);
    expect((await buy(t, 'stats', { 'stats-MUG': 1 })).status).toBe(201); // never paid: not a sale
    const old = await paidOrder('stats', { 'stats-MUG': 4 }); // 50.00, paid ten days ago
    await t.container.db.orderEvent.updateMany({ where: { orderId: old }, data: { createdAt: new Date(Date.now() - 10 * DAY) } });
    await paidOrder('elsewhere', { 'elsewhere-MUG': 5 }); // another store

    const analytics = t.container.services.analytics;
    const mug = (await t.container.services.catalog.product(storeId, 'enamel-mug')).id;
    for (let i = 0; i < 20; i++) analytics.record({ storeId, type: 'view', productId: mug, sessionKey: `web:${i}` });
    for (let i = 0; i < 6; i++) analytics.record({ storeId, type: 'add_to_cart', productId: mug, sessionKey: `web:${i}` });
    for (let i = 0; i < 4; i++) analytics.record({ storeId, type: 'checkout_started', sessionKey: `web:${i}` });
    await analytics.flush();
  }, 60_000);
  afterAll(() => t?.close());

  it('counts what was paid in the period, per currency, with best sellers and refunds', async () => {
    const r = await t.container.services.salesReport.report(storeId, { days: 7 });
    expect(r.period.days).toBe(7);
    expect(r.period.to.getTime() - r.period.from.getTime()).toBe(7 * DAY);
    expect(r.funnel).toEqual({ views: 20, carts: 6, checkouts: 4, paid: 3 });
    expect(r.ordersPaid).toBe(3);
    expect(r.revenue).toEqual([{ amount: 2500 + 2150 + 2700, currency: 'EUR' }]);
    expect(r.averageOrderValue).toEqual([{ amount: 2450, currency: 'EUR' }]);
    expect(r.topProducts).toEqual([
      { title: 'Brewing E-book', units: 4, revenue: { amount: 3600, currency: 'EUR' } },
      { title: 'Enamel Mug', units: 3, revenue: { amount: 3750, currency: 'EUR' } },
    ]);
    expect(r.refunds).toEqual({ orders: 1, amount: [{ amount: 1000, currency: 'EUR' }] });
  });

  it('a longer period takes in the older order; a store without sales reports zeros', async () => {
    const month = await t.container.services.salesReport.report(storeId, { days: 30 });
    expect(month.ordersPaid).toBe(4);
    expect(month.revenue).toEqual([{ amount: 12350, currency: 'EUR' }]);
    expect(month.topProducts[0]).toEqual({ title: 'Enamel Mug', units: 7, revenue: { amount: 8750, currency: 'EUR' } });
    const created = await t.call('POST', '/api/v1/stores', { slug: 'quiet', name: 'Quiet', currency: 'EUR' }, adminHeaders);
    const empty = await t.container.services.salesReport.report(created.body.id as string, { days: 7 });
    expect(empty).toMatchObject({ ordersPaid: 0, revenue: [], averageOrderValue: [], topProducts: [], refunds: { orders: 0, amount: [] } });
    expect(formatSalesReport(empty)).toEqual([
      expect.stringMatching(/^Sales, last 7 days \(\d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d\)$/),
      'Funnel: 0 product views → 0 added to cart → 0 checkouts started → 0 paid (— of views)',
      'Orders paid: 0',
      'Revenue: none',
      'Average order: —',
      'Top products: no sales yet',
      'Refunds: none',
    ]);
  });

  it('refuses a period that is not 1–365 whole days', async () => {
    for (const days of [0, -1, 1.5, 366, Number.NaN]) {
      await expect(t.container.services.salesReport.report(storeId, { days })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('formats as plain text lines, with a channel translator for money', async () => {
    const lines = formatSalesReport(await t.container.services.salesReport.report(storeId, { days: 7 }), translator('en'));
    expect(lines.slice(1)).toEqual([
      'Funnel: 20 product views → 6 added to cart → 4 checkouts started → 3 paid (15.0% of views)',
      'Orders paid: 3',
      'Revenue: €73.50',
      'Average order: €24.50',
      'Top products:',
      '1. Brewing E-book — 4 sold, €36.00',
      '2. Enamel Mug — 3 sold, €37.50',
      'Refunds: 1 order, €10.00',
    ]);
    for (const l of lines) expect(l).not.toMatch(/[*_`<>]/);
  });

  it('GET /stats answers admins with the report and its text; others are refused', async () => {
    const r = await t.call('GET', '/api/v1/stores/stats/stats?days=7', undefined, adminHeaders);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      period: { days: 7 },
      funnel: { views: 20, carts: 6, checkouts: 4, paid: 3 },
      ordersPaid: 3,
      revenue: [{ amount: 7350, currency: 'EUR' }],
      refunds: { orders: 1, amount: [{ amount: 1000, currency: 'EUR' }] },
    });
    expect(r.body.storeId).toBeUndefined();
    expect(r.body.lines).toContain('Refunds: 1 order, 10.00 EUR');
    expect((await t.call('GET', '/api/v1/stores/stats/stats', undefined, adminHeaders)).body.period.days).toBe(7);
    expect((await t.call('GET', '/api/v1/stores/stats/stats?days=0', undefined, adminHeaders)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await t.call('GET', '/api/v1/stores/stats/stats?days=abc', undefined, adminHeaders)).status).toBe(400);
    expect((await t.call('GET', '/api/v1/stores/stats/stats')).status).toBe(401);
    expect((await t.call('GET', '/api/v1/stores/nope/stats', undefined, adminHeaders)).status).toBe(404);
    const doc = await t.call('GET', '/openapi.json');
    expect(doc.body.paths['/api/v1/stores/{store}/stats'].get.security).toBeTruthy();
  });

  it('GET /stats/chart.png draws the same report as a PNG, for admins only', async () => {
    const res = await t.app.request('/api/v1/stores/stats/stats/chart.png?days=7', { headers: adminHeaders });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([720, 420]);
    expect((await t.app.request('/api/v1/stores/stats/stats/chart.png')).status).toBe(401);
    expect((await t.app.request('/api/v1/stores/stats/stats/chart.png?days=999', { headers: adminHeaders })).status).toBe(400);
  });

  it('a signed chart link works without a token until it expires, and only as signed', async () => {
    const secret = t.container.config.linkSecret ?? '';
    expect(secret).not.toBe('');
    const link = new URL(chartLink(secret, 'https://shop.example', 'stats', 7, new Date()));
    const path = `${link.pathname}${link.search}`;
    expect((await t.app.request(path)).status).toBe(200);
    expect((await t.app.request(path.replace('days=7', 'days=30'))).status).toBe(401);
    expect((await t.app.request(path.replace(/sig=[^&]+/, 'sig=AAAAAAAAAAAAAAAAAAAAAA'))).status).toBe(401);
    const old = new URL(chartLink(secret, 'https://shop.example', 'stats', 7, new Date(Date.now() - 16 * 60_000)));
    expect((await t.app.request(`${old.pathname}${old.search}`)).status).toBe(401);
  });
});
