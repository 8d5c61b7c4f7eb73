import { createRoute, z } from '@hono/zod-openapi';
import { salesChart } from '../../analytics/sales-chart.ts';
import { formatSalesReport, MAX_REPORT_DAYS } from '../../analytics/sales-report.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { validChartLink } from '../chart-link.ts';
import { createMiddleware } from 'hono/factory';
import { router, type AppEnv, type RouteDeps } from '../context.ts';
import { errorResponses, json, MoneySchema, StoreParam } from '../schemas.ts';


const SalesReportSchema = z
  .object({
    period: z.object({ days: z.number().int(), from: z.string().openapi({ format: 'date-time' }), to: z.string().openapi({ format: 'date-time' }) }),
    funnel: z
      .object({ views: z.number().int(), carts: z.number().int(), checkouts: z.number().int(), paid: z.number().int() })
      .openapi({ description: 'Product views → add to cart → checkouts started → orders paid, each counted on its own' }),
    ordersPaid: z.number().int().openapi({ description: 'Orders that moved to paid in the period' }),
    revenue: z.array(MoneySchema).openapi({ description: 'Gross revenue of those orders, one entry per currency' }),
    averageOrderValue: z.array(MoneySchema),
    topProducts: z.array(z.object({ title: z.string(), units: z.number().int(), revenue: MoneySchema })).openapi({ description: 'Top 5 by units sold, then revenue' }),
    refunds: z.object({ orders: z.number().int(), amount: z.array(MoneySchema) }).openapi({ description: 'Payments with a refund in the period, and what has been refunded on them' }),
    topCampaigns: z
      .array(z.object({ name: z.string(), shoppers: z.number().int(), orders: z.number().int(), revenue: z.array(MoneySchema) }))
      .openapi({ description: 'Campaign links (link:<campaign>) and broadcasts (broadcast:<text>): shoppers brought and their paid orders in the period' }),
    lines: z.array(z.string()).openapi({ description: 'The same report as plain-text lines (what the chat /stats commands show)' }),
  })
  .openapi('SalesReport');

const statsRoute = createRoute({
  method: 'get',
  path: '/api/v1/stores/{store}/stats',
  tags: ['Stats'],
  summary: 'Sales report: funnel, orders paid, revenue, average order, best sellers and refunds over the last days',
  security: bearerSecurity,
  request: {
    params: StoreParam,
    query: z.object({ days: z.coerce.number().int().min(1).max(MAX_REPORT_DAYS).default(7).openapi({ description: `Period in days (1–${MAX_REPORT_DAYS})`, example: 7 }) }),
  },
  responses: { 200: { description: 'The report', ...json(SalesReportSchema) }, ...errorResponses(400, 401, 403, 404) },
});

const chartRoute = createRoute({
  method: 'get',
  path: '/api/v1/stores/{store}/stats/chart.png',
  tags: ['Stats'],
  summary: 'The sales report as a chart image (funnel, revenue, top products), as the chat /stats commands send it',
  security: bearerSecurity,
  request: {
    params: StoreParam,
    query: statsRoute.request.query.extend({
      exp: z.string().max(12).optional().openapi({ description: 'With sig: a signed link sent into a chat (no bearer token needed until it expires)' }),
      sig: z.string().max(64).optional(),
    }),
  },
  responses: { 200: { description: 'A PNG image', content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errorResponses(400, 401, 403, 404) },
});

/** Admin: the channel-neutral sales report the chat /stats commands also show. */
export function statsRoutes({ services, config }: RouteDeps) {
  const { catalog, auth, salesReport } = services;
  const app = router();
  app.use('/api/v1/stores/:store/stats', requireAdmin(auth, async (slug) => (await catalog.store(slug)).id));
  const admin = requireAdmin(auth, async (slug) => (await catalog.store(slug)).id);
  // The chart also answers a signed, expiring link (Discord shows embed images by URL).
  app.use(
    '/api/v1/stores/:store/stats/*',
    createMiddleware<AppEnv>(async (c, next) => {
      const days = Number(c.req.query('days') ?? 7);
      if (config.linkSecret && validChartLink(config.linkSecret, c.req.param('store') ?? '', days, c.req.query('exp'), c.req.query('sig'), new Date())) return next();
      return admin(c, next);
    }),
  );

  app.openapi(chartRoute, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const png = salesChart(await salesReport.report(store.id, { days: c.req.valid('query').days }));
    return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
  });

  app.openapi(statsRoute, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const report = await salesReport.report(store.id, { days: c.req.valid('query').days });
    const { storeId: _storeId, period, ...rest } = report;
    return c.json({ period: { days: period.days, from: period.from.toISOString(), to: period.to.toISOString() }, ...rest, lines: formatSalesReport(report) }, 200);
  });
  return app;
}
