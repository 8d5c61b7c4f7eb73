import { createRoute, z } from '@hono/zod-openapi';
import { router, type RouteDeps } from '../context.ts';
import { errorResponses, json, ProductParams } from '../schemas.ts';

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

const ReviewSchema = z
  .object({
    id: z.string(),
    rating: z.number().int().min(1).max(5),
    text: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ProductReview');

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/stores/{store}/products/{product}/reviews',
  tags: ['Catalog'],
  summary: "A product's reviews (stars from buyers of delivered orders, with their words), newest first, and the average",
  request: { params: ProductParams, query: ListQuery },
  responses: {
    200: {
      description: 'Reviews without who wrote them; `summary` is null while the product has none',
      ...json(
        z
          .object({
            summary: z.object({ average: z.number(), count: z.number().int() }).nullable(),
            items: z.array(ReviewSchema),
            nextCursor: z.string().nullable(),
          })
          .openapi('ProductReviews'),
      ),
    },
    ...errorResponses(400, 404),
  },
});

/** Public, read-only: what a shop page shows under a product. Reviewers are never named. */
export function reviewRoutes({ services }: RouteDeps) {
  const { catalog, reviews } = services;
  const app = router();

  app.openapi(listRoute, async (c) => {
    const { store: slug, product: idOrSlug } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const store = await catalog.store(slug);
    const product = await catalog.product(store.id, idOrSlug);
    const [page, summaries] = await Promise.all([
      reviews.list(store.id, product.id, { limit, cursor }),
      reviews.summaries(store.id, [product.id]),
    ]);
    return c.json(
      {
        summary: summaries.get(product.id) ?? null,
        items: page.items.map((r) => ({
          id: r.id,
          rating: r.rating,
          text: r.text,
          createdAt: r.createdAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
        })),
        nextCursor: page.nextCursor,
      },
      200,
    );
  });

  return app;
}
