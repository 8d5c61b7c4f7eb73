import { createRoute, z } from '@hono/zod-openapi';
import { MAX_DELIVERABLE_TEXT, MAX_KEYS_PER_REQUEST } from '../../catalog/deliverables.ts';
import { unwrap } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { errorResponses, json, ProductParams } from '../schemas.ts';

const DeliverableParams = ProductParams.extend({ deliverable: z.string().min(1).max(64).openapi({ param: { name: 'deliverable', in: 'path' } }) });

const label = z.string().max(100).optional().openapi({ description: 'Shown to the buyer beside the content, e.g. "PDF" or "Activation key"' });
const NewDeliverable = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), label, url: z.string().max(2000).openapi({ description: 'http(s) link to the file' }) }).strict(),
    z.object({ kind: z.literal('text'), label, text: z.string().max(MAX_DELIVERABLE_TEXT) }).strict(),
    z.object({ kind: z.literal('license_key'), label }).strict(),
  ])
  .openapi('NewDeliverable');

const DeliverableSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['file', 'text', 'license_key']),
    label: z.string(),
    content: z.string().nullable().openapi({ description: 'The URL or text; null for license keys' }),
    position: z.number().int(),
    keys: z.object({ available: z.number().int(), assigned: z.number().int() }).nullable(),
  })
  .openapi('Deliverable');

const routes = {
  list: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/products/{product}/deliverables', tags: ['Digital goods'], security: bearerSecurity,
    summary: 'What the product hands over in the buyer\'s chat once paid, with key-pool counts',
    request: { params: ProductParams },
    responses: { 200: { description: 'Deliverables', ...json(z.object({ items: z.array(DeliverableSchema) })) }, ...errorResponses(401, 403, 404) },
  }),
  add: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/products/{product}/deliverables', tags: ['Digital goods'], security: bearerSecurity,
    summary: 'Add a deliverable: a file URL, a text, or a license-key pool (one per product; keys one per unit bought)',
    request: { params: ProductParams, body: { required: true, ...json(NewDeliverable) } },
    responses: { 201: { description: 'Added', ...json(DeliverableSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  }),
  remove: createRoute({
    method: 'delete', path: '/api/v1/stores/{store}/products/{product}/deliverables/{deliverable}', tags: ['Digital goods'], security: bearerSecurity,
    summary: 'Remove a deliverable (with its unused keys); orders already delivered keep what they received',
    request: { params: DeliverableParams },
    responses: { 204: { description: 'Removed' }, ...errorResponses(401, 403, 404) },
  }),
  keys: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/products/{product}/deliverables/{deliverable}/keys', tags: ['Digital goods'], security: bearerSecurity,
    summary: `Add license keys in bulk (at most ${MAX_KEYS_PER_REQUEST}); keys already in the pool are skipped. Paid orders waiting for keys get them at once.`,
    request: { params: DeliverableParams, body: { required: true, ...json(z.object({ keys: z.array(z.string().max(500)).min(1).max(MAX_KEYS_PER_REQUEST) }).strict()) } },
    responses: {
      201: {
        description: 'Keys added',
        ...json(z.object({ added: z.number().int(), duplicates: z.number().int(), available: z.number().int(), ordersFilled: z.number().int().openapi({ description: 'Waiting orders that got their keys now' }) })),
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
};

/** Digital goods of a product: deliverables and license-key pools (admin). */
export function deliverableRoutes({ services }: RouteDeps) {
  const { catalog, auth, deliverables } = services;
  const app = router();
  app.use('/api/v1/stores/:store/products/:product/deliverables', requireAdmin(auth, async (slug) => (await catalog.store(slug)).id));
  app.use('/api/v1/stores/:store/products/:product/deliverables/*', requireAdmin(auth, async (slug) => (await catalog.store(slug)).id));

  const present = (d: Awaited<ReturnType<typeof deliverables.list>>[number]) => ({ id: d.id, kind: d.kind, label: d.label, content: d.content, position: d.position, keys: d.keys });

  app.openapi(routes.list, async (c) => {
    const { store: slug, product } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json({ items: (await deliverables.list(store.id, product)).map(present) }, 200);
  });
  app.openapi(routes.add, async (c) => {
    const { store: slug, product } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(present(unwrap(await deliverables.add(store.id, product, c.req.valid('json')))), 201);
  });
  app.openapi(routes.remove, async (c) => {
    const { store: slug, product, deliverable } = c.req.valid('param');
    const store = await catalog.store(slug);
    await deliverables.remove(store.id, product, deliverable);
    return c.body(null, 204);
  });
  app.openapi(routes.keys, async (c) => {
    const { store: slug, product, deliverable } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(unwrap(await deliverables.addKeys(store.id, product, deliverable, c.req.valid('json').keys)), 201);
  });
  return app;
}
