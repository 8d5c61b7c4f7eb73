import { createRoute, z } from '@hono/zod-openapi';
import { orderStatuses } from '../../orders/order-state.ts';
import { approveReturn, rejectReturn, requestReturn } from '../../orders/returns.ts';
import { unwrap } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { presentOrder } from '../presenters.ts';
import { cursorParam, errorResponses, json, limitParam, OrderSchema, StoreParam } from '../schemas.ts';

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
    responses: { 200: { description: 'The order after the transition', ...json(OrderSchema) }, ...errorResponses(400, 401, 403, 404, 409, 503) },
  }),
  returnRequest: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/orders/{order}/return-request', tags: ['Orders'], security: bearerSecurity,
    summary: 'Record a return request for a shipped or delivered order (shoppers ask from their order view in chat); staff and buyer are notified',
    request: { params: OrderParams, body: { required: false, ...json(z.object({ reason: z.string().max(500).optional() }).strict()) } },
    responses: { 200: { description: 'The order, now return_requested', ...json(OrderSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  }),
  approveReturn: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/orders/{order}/return-request/approve', tags: ['Orders'], security: bearerSecurity,
    summary: 'Accept the return: the order is returned and its stock restocked (refund it with POST …/refunds); the buyer is notified',
    request: { params: OrderParams, body: { required: false, ...json(z.object({ note: z.string().max(500).optional() }).strict()) } },
    responses: { 200: { description: 'The order, now returned', ...json(OrderSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  }),
  rejectReturn: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/orders/{order}/return-request/reject', tags: ['Orders'], security: bearerSecurity,
    summary: 'Decline the return: the order goes back to shipped or delivered; the buyer is told, with the reason',
    request: { params: OrderParams, body: { required: false, ...json(z.object({ reason: z.string().max(500).optional() }).strict()) } },
    responses: { 200: { description: 'The order, back where it was', ...json(OrderSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  }),
};

type Body<T> = T | undefined;

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
    // Tracking details are stored on the order (shipped only); cancelling a paid order refunds it in full.
    return c.json(presentOrder(unwrap(await orders.transition(store.id, order, to, actor, { note, trackingNumber, carrierUrl }))), 200);
  });
  const bodyOf = <T>(c: { req: { header(n: string): string | undefined } }, read: () => T): Body<T> => (c.req.header('content-type')?.includes('json') ? read() : undefined);
  app.openapi(routes.returnRequest, async (c) => {
    const { store: slug, order } = c.req.valid('param');
    const store = await catalog.store(slug);
    const reason = bodyOf(c, () => c.req.valid('json'))?.reason;
    return c.json(presentOrder(unwrap(await requestReturn(orders, store.id, order, { actor: `admin:${c.get('principal').id}` }, reason))), 200);
  });
  app.openapi(routes.approveReturn, async (c) => {
    const { store: slug, order } = c.req.valid('param');
    const store = await catalog.store(slug);
    const note = bodyOf(c, () => c.req.valid('json'))?.note;
    return c.json(presentOrder(unwrap(await approveReturn(orders, store.id, order, `admin:${c.get('principal').id}`, note))), 200);
  });
  app.openapi(routes.rejectReturn, async (c) => {
    const { store: slug, order } = c.req.valid('param');
    const store = await catalog.store(slug);
    const reason = bodyOf(c, () => c.req.valid('json'))?.reason;
    return c.json(presentOrder(unwrap(await rejectReturn(orders, store.id, order, `admin:${c.get('principal').id}`, reason))), 200);
  });
  return app;
}
