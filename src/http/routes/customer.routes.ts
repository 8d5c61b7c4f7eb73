import { createRoute, z } from '@hono/zod-openapi';
import { channels } from '../../customers/customers.types.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { presentCustomer } from '../presenters.ts';
import { cursorParam, CustomerSchema, errorResponses, json, limitParam, StoreParam } from '../schemas.ts';

const CustomerParams = StoreParam.extend({ customer: z.string().min(1).max(64).openapi({ param: { name: 'customer', in: 'path' } }) });
const profile = {
  displayName: z.string().trim().max(120).optional(),
  email: z.email().max(254).nullable().optional(),
  phone: z.string().regex(/^\+?[0-9 ()-]{5,20}$/, 'must be a phone number').nullable().optional(),
  locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must look like en or en-GB').nullable().optional(),
};
const NewCustomer = z
  .object({
    ...profile,
    identity: z
      .object({
        channel: z.enum(channels),
        externalUserId: z.string().min(1).max(64),
        chatId: z.string().max(64).nullable().optional(),
        username: z.string().max(64).nullable().optional(),
        locale: z.string().max(10).nullable().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('NewCustomer');

const routes = {
  list: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/customers', tags: ['Customers'], summary: 'Customers, newest first', security: bearerSecurity,
    request: { params: StoreParam, query: z.object({ search: z.string().max(100).optional(), limit: limitParam, cursor: cursorParam }) },
    responses: { 200: { description: 'A page of customers', ...json(z.object({ items: z.array(CustomerSchema), nextCursor: z.string().nullable() })) }, ...errorResponses(400, 401, 403, 404) },
  }),
  get: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/customers/{customer}', tags: ['Customers'], summary: 'One customer with channel identities', security: bearerSecurity,
    request: { params: CustomerParams },
    responses: { 200: { description: 'The customer', ...json(CustomerSchema) }, ...errorResponses(401, 403, 404) },
  }),
  create: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/customers', tags: ['Customers'],
    summary: 'Create a customer; with an identity, returns the existing customer behind it', security: bearerSecurity,
    request: { params: StoreParam, body: { required: true, ...json(NewCustomer) } },
    responses: { 201: { description: 'The customer', ...json(CustomerSchema) }, ...errorResponses(400, 401, 403, 404) },
  }),
  patch: createRoute({
    method: 'patch', path: '/api/v1/stores/{store}/customers/{customer}', tags: ['Customers'], summary: 'Change a customer', security: bearerSecurity,
    request: { params: CustomerParams, body: { required: true, ...json(z.object(profile).strict()) } },
    responses: { 200: { description: 'The customer', ...json(CustomerSchema) }, ...errorResponses(400, 401, 403, 404) },
  }),
};

export function customerRoutes({ services }: RouteDeps) {
  const { catalog, customers, auth } = services;
  const app = router();
  const admin = requireAdmin(auth, async (slug) => (await catalog.store(slug)).id);
  app.use('/api/v1/stores/:store/customers', admin);
  app.use('/api/v1/stores/:store/customers/*', admin);

  app.openapi(routes.list, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const page = await customers.list(store.id, c.req.valid('query'));
    return c.json({ items: page.items.map(presentCustomer), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const { store: slug, customer } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentCustomer(await customers.get(store.id, customer)), 200);
  });
  app.openapi(routes.create, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const { identity, ...input } = c.req.valid('json');
    return c.json(presentCustomer(await customers.create(store.id, input, identity)), 201);
  });
  app.openapi(routes.patch, async (c) => {
    const { store: slug, customer } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentCustomer(await customers.update(store.id, customer, c.req.valid('json'))), 200);
  });
  return app;
}
