import { createRoute, z } from '@hono/zod-openapi';
import { router, type RouteDeps } from '../context.ts';
import { presentProduct } from '../presenters.ts';
import { errorResponses, json, ProductParams, ProductSchema, StoreParam } from '../schemas.ts';

const LimitQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(8) });

const forProductRoute = createRoute({
  method: 'get',
  path: '/api/v1/stores/{store}/products/{product}/recommendations',
  tags: ['Recommendations'],
  summary: 'Products similar to this one and products bought together with it (paid orders)',
  request: { params: ProductParams, query: LimitQuery },
  responses: {
    200: {
      description: 'Each list best first, active products only',
      ...json(z.object({ similar: z.array(ProductSchema), boughtTogether: z.array(ProductSchema) }).openapi('ProductRecommendations')),
    },
    ...errorResponses(400, 404),
  },
});

const popularRoute = createRoute({
  method: 'get',
  path: '/api/v1/stores/{store}/recommendations/popular',
  tags: ['Recommendations'],
  summary: 'Best sellers and most viewed over the last 30 days, topped up with the newest products',
  request: { params: StoreParam, query: LimitQuery },
  responses: { 200: { description: 'Best first', ...json(z.object({ items: z.array(ProductSchema) })) }, ...errorResponses(400, 404) },
});

/** Public, read-only: what shop widgets and the seller's pages show next to a product. */
export function recommendationRoutes({ services }: RouteDeps) {
  const { catalog, recommendations } = services;
  const app = router();

  app.openapi(forProductRoute, async (c) => {
    const { store: slug, product: idOrSlug } = c.req.valid('param');
    const { limit } = c.req.valid('query');
    const store = await catalog.store(slug);
    const product = await catalog.product(store.id, idOrSlug);
    const [similar, boughtTogether] = await Promise.all([
      recommendations.similar(store.id, product.id, limit),
      recommendations.boughtTogether(store.id, product.id, limit),
    ]);
    return c.json({ similar: similar.map(presentProduct), boughtTogether: boughtTogether.map(presentProduct) }, 200);
  });

  app.openapi(popularRoute, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const items = await recommendations.popular(store.id, c.req.valid('query').limit);
    return c.json({ items: items.map(presentProduct) }, 200);
  });

  return app;
}
