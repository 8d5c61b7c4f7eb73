import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { errorResponses, json } from '../schemas.ts';

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(['admin', 'seller']),
    storeId: z.string().nullable(),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const routes = {
  list: createRoute({
    method: 'get', path: '/api/v1/admin/api-keys', tags: ['Admin'], summary: 'API keys (never the secrets)', security: bearerSecurity,
    responses: { 200: { description: 'Keys', ...json(z.object({ items: z.array(ApiKeySchema) })) }, ...errorResponses(401, 403) },
  }),
  create: createRoute({
    method: 'post', path: '/api/v1/admin/api-keys', tags: ['Admin'], summary: 'Create an API key; the secret is shown only in this answer', security: bearerSecurity,
    request: {
      body: {
        required: true,
        ...json(z.object({ name: z.string().trim().min(1).max(80), role: z.enum(['admin', 'seller']).default('admin'), store: z.string().max(80).optional().openapi({ description: 'Limit the key to one store (slug)' }) }).strict()),
      },
    },
    responses: { 201: { description: 'Created', ...json(z.object({ key: z.string(), apiKey: ApiKeySchema })) }, ...errorResponses(400, 401, 403, 404) },
  }),
  revoke: createRoute({
    method: 'delete', path: '/api/v1/admin/api-keys/{id}', tags: ['Admin'], summary: 'Revoke an API key', security: bearerSecurity,
    request: { params: z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404) },
  }),
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function apiKeyRoutes({ services }: RouteDeps) {
  const { auth, catalog } = services;
  const app = router();
  app.use('/api/v1/admin/*', requireAdmin(auth));

  app.openapi(routes.list, async (c) => {
    const keys = await auth.listKeys();
    return c.json(
      { items: keys.map((k) => ({ ...k, createdAt: k.createdAt.toISOString(), lastUsedAt: iso(k.lastUsedAt), revokedAt: iso(k.revokedAt) })) },
      200,
    );
  });
  app.openapi(routes.create, async (c) => {
    const { name, role, store } = c.req.valid('json');
    const storeId = store ? (await catalog.store(store)).id : null;
    const { key, record: k } = await auth.createKey({ storeId, name, role });
    return c.json({ key, apiKey: { ...k, createdAt: k.createdAt.toISOString(), lastUsedAt: iso(k.lastUsedAt), revokedAt: iso(k.revokedAt) } }, 201);
  });
  app.openapi(routes.revoke, async (c) => {
    if (!(await auth.revokeKey(c.req.valid('param').id))) throw new AppError('NOT_FOUND', 'API key not found or already revoked');
    return c.body(null, 204);
  });
  return app;
}
