import { createRoute, z } from '@hono/zod-openapi';
import { orderStatuses } from '../../orders/order-state.ts';
import { unwrap } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { presentOrder } from '../presenters.ts';
import { cursorParam, errorResponses, limitParam, OrderSchema, StoreParam } from '../schemas.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const OrderParams = StoreParam.extend({ order: z.string().min(1).max(64).openapi({ param: { name: 'order', in: 'path' }, description: 'Order id or number' }) });

const routes = {
  list: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/orders', tags: ['Orders'], summary: 'Orders, newest first', security: bearerSecurity,
    request: { params: StoreParam, query: z.object({ status: z.enum(orderStatuses).optional(), customerId: z.string().max(64).optional(), limit: limitParam, cursor: cursorParam }) },
    responses: { 200: { description: 'A page of orders', ...json(z.object({ items: z.array(OrderSchema), nextCursor: z.string().nullable() })) }, ...errorResponses(400, 401, 403, 404) },
  }),
  get: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/orders/{order}', tags: ['Orders'], summary: 'One order with its items, events and payments', security: bearerSecurity,
    request: { params: OrderParams },
    responses: { 200: { description: 'The order', ...json(OrderSchema) }, ...errorResponses(401, 403, 404) },
  }),
  transition: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/orders/{order}/transitions', tags: ['Orders'],
    summary: 'Move an order to another status (see the transition table in the README)', security: bearerSecurity,
    request: { params: OrderParams, body: { required: true, ...json(z.object({ to: z.enum(orderStatuses), note: z.string().max(500).optional(), trackingNumber: z.string().trim().min(1).max(100).optional(), carrierUrl: z.url({ protocol: /^https?$/ }).max(500).optional() }).strict()) } },
    responses: { 200: { description: 'The order after the transition', ...json(OrderSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  }),
};

export function orderRoutes({ services }: RouteDeps) {
  const { catalog, orders, auth } = services;
  const app = router();
  app.use('/api/v1/stores/:store/orders', requireAdmin(auth, async (slug) => (await catalog.store(slug)).id));
  app.use('/api/v1/stores/:store/orders/*', requireAdmin(auth, async (slug) => (await catalog.store(slug)).id));

  app.openapi(routes.list, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const page = await orders.list(store.id, c.req.valid('query'));
    return c.json({ items: page.items.map(presentOrder), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const { store: slug, order } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentOrder(await orders.get(store.id, order)), 200);
  });
  app.openapi(routes.transition, async (c) => {
    const { store: slug, order } = c.req.valid('param');
    const { to, note, trackingNumber, carrierUrl } = c.req.valid('json');
    const store = await catalog.store(slug);
    const actor = `admin:${c.get('principal').id}`;
    // Tracking details travel in the order event's note, which the buyer's notification carries.
    const fullNote = [note, trackingNumber && `tracking number: ${trackingNumber}`, carrierUrl && `track at: ${carrierUrl}`].filter(Boolean).join('; ') || undefined;
    return c.json(presentOrder(unwrap(await orders.transition(store.id, order, to, actor, fullNote))), 200);
  });
  return app;
}
