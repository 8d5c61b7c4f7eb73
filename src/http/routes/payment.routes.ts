import { createRoute, z } from '@hono/zod-openapi';
import { unwrap } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { errorBody } from '../errors.ts';
import { presentOrder } from '../presenters.ts';
import { errorResponses, json, MoneySchema, OrderSchema, StoreParam } from '../schemas.ts';
import { paymentPageRoutes } from './payment-pages.routes.ts';

const OrderParams = StoreParam.extend({ order: z.string().min(1).max(64).openapi({ param: { name: 'order', in: 'path' }, description: 'Order id or number' }) });

const refundRoute = createRoute({
  method: 'post', path: '/api/v1/stores/{store}/orders/{order}/refunds', tags: ['Orders'], security: bearerSecurity,
  summary: 'Refund a paid order in full (no amount) or in part; never more than paid minus already refunded',
  request: {
    params: OrderParams,
    body: { required: false, ...json(z.object({ amount: z.number().int().min(1).max(2_000_000_000).optional().openapi({ description: 'Minor units; omit for everything left' }) }).strict()) },
  },
  responses: {
    201: { description: 'The refund and the order after it', ...json(z.object({ order: OrderSchema, refund: z.object({ amount: MoneySchema, providerRef: z.string() }) })) },
    ...errorResponses(400, 401, 403, 404, 409, 503),
  },
});

/**
 * Payments over HTTP: POST /webhooks/stripe (signature checked on the raw
 * body), seller refunds, and the payment pages shoppers see.
 */
export function paymentRoutes(deps: RouteDeps) {
  const { catalog, auth, payments } = deps.services;
  const app = router();

  app.post('/webhooks/stripe', async (c) => {
    if (!payments.stripeWebhooks) return c.json(errorBody('NOT_FOUND', 'Stripe is not configured on this server'), 404);
    const raw = await c.req.text();
    const r = await payments.events.handleWebhook(payments.stripeWebhooks, raw, c.req.header('stripe-signature'));
    switch (r.status) {
      case 'bad_request':
        return c.json(errorBody('BAD_REQUEST', r.message), 400);
      case 'retry_later':
        // Stripe redelivers non-2xx answers with backoff; the event is not recorded as handled.
        return c.json(errorBody('CONFLICT', `Not applied yet (${r.outcome}); deliver again later`), 409);
      default:
        return c.json({ received: true, status: r.status }, 200);
    }
  });

  app.use('/api/v1/stores/:store/orders/:order/refunds', requireAdmin(auth, async (slug) => (await catalog.store(slug)).id));
  app.openapi(refundRoute, async (c) => {
    const { store: slug, order } = c.req.valid('param');
    const body = (c.req.header('content-type')?.includes('json') ? c.req.valid('json') : undefined) ?? {};
    const store = await catalog.store(slug);
    const r = unwrap(await payments.refunds.refund(store.id, order, body.amount, `admin:${c.get('principal').id}`));
    return c.json({ order: presentOrder(r.order), refund: { amount: { amount: r.refund.amount, currency: r.refund.currency }, providerRef: r.refund.providerRef } }, 201);
  });

  app.route('/', paymentPageRoutes(deps));
  return app;
}
