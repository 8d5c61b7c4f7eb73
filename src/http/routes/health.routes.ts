import { createRoute, z } from '@hono/zod-openapi';
import { router, type RouteDeps } from '../context.ts';

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.object({ status: z.enum(['up', 'down']), provider: z.enum(['sqlite', 'postgresql']), latencyMs: z.number().nullable() }),
    uptimeSeconds: z.number(),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get', path: '/health', tags: ['Service'], summary: 'Liveness and database status',
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: Health } } },
    503: { description: 'The database is not reachable', content: { 'application/json': { schema: Health } } },
  },
});

export function healthRoutes({ health, config }: RouteDeps) {
  const app = router();
  const started = Date.now();
  app.openapi(route, async (c) => {
    const db = await health.database();
    const body = {
      status: db.ok ? ('ok' as const) : ('degraded' as const),
      database: { status: db.ok ? ('up' as const) : ('down' as const), provider: config.databaseProvider, latencyMs: db.latencyMs },
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    };
    return db.ok ? c.json(body, 200) : c.json(body, 503);
  });
  return app;
}
