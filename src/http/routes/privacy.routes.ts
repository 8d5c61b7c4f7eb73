import { createRoute, z } from '@hono/zod-openapi';
import { marketingChannels } from '../../marketing/segment.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { errorResponses, json, StoreParam } from '../schemas.ts';

const CustomerParams = StoreParam.extend({ customer: z.string().min(1).max(64).openapi({ param: { name: 'customer', in: 'path' } }) });
const ConsentParams = CustomerParams.extend({ channel: z.enum(marketingChannels).openapi({ param: { name: 'channel', in: 'path' } }) });

const ConsentSchema = z.object({ channel: z.string(), status: z.enum(['subscribed', 'unsubscribed']), source: z.string(), changedAt: z.string() }).openapi('Consent');

const PersonalDataSchema = z
  .object({
    customer: z.object({
      displayName: z.string(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      locale: z.string().nullable(),
      timeZone: z.string().nullable(),
      tags: z.array(z.string()),
      createdAt: z.string(),
    }),
    identities: z.array(z.object({ channel: z.string(), username: z.string().nullable(), locale: z.string().nullable(), since: z.string() })),
    consent: z.array(ConsentSchema),
    history: z.array(ConsentSchema.extend({ at: z.string() })),
    orders: z.number(),
    carts: z.number(),
    events: z.number(),
    conversations: z.number(),
    stockAlerts: z.number().openapi({ description: '"Notify me" requests still waiting for stock' }),
    messages: z.number().openapi({ description: 'Marketing messages planned or sent: broadcast deliveries and automation messages' }),
    groupDeals: z.number().openapi({ description: 'Group deals joined' }),
    reviews: z.array(z.object({ productId: z.string(), productTitle: z.string(), orderId: z.string(), rating: z.number().int(), text: z.string().nullable(), createdAt: z.string() })),
  })
  .openapi('PersonalData');

const routes = {
  export: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/customers/{customer}/personal-data', tags: ['Customers'], security: bearerSecurity,
    summary: 'Everything kept about a customer, with their consent ledger (what /privacy shows them)',
    request: { params: CustomerParams },
    responses: { 200: { description: 'The personal data', ...json(PersonalDataSchema) }, ...errorResponses(401, 403, 404) },
  }),
  erase: createRoute({
    method: 'delete', path: '/api/v1/stores/{store}/customers/{customer}/personal-data', tags: ['Customers'], security: bearerSecurity,
    summary: 'Erase a customer (what /forgetme does): orders are kept anonymised for the books',
    request: { params: CustomerParams },
    responses: {
      200: {
        description: 'What was erased',
        ...json(z.object({ ordersAnonymised: z.number(), eventsAnonymised: z.number(), conversationsDeleted: z.number(), cartsDeleted: z.number(), reviewsAnonymised: z.number() })),
      },
      ...errorResponses(401, 403, 404),
    },
  }),
  consent: createRoute({
    method: 'put', path: '/api/v1/stores/{store}/customers/{customer}/consent/{channel}', tags: ['Customers'], security: bearerSecurity,
    summary: 'Record an opt-in or opt-out given outside the chat (e.g. a signup form), with its source',
    request: {
      params: ConsentParams,
      body: { required: true, ...json(z.object({ status: z.enum(['subscribed', 'unsubscribed']), source: z.string().trim().min(1).max(60).default('api') }).strict()) },
    },
    responses: { 200: { description: 'The consent now, and whether it changed', ...json(z.object({ status: z.string(), changed: z.boolean() })) }, ...errorResponses(400, 401, 403, 404) },
  }),
};

const iso = (d: Date) => d.toISOString();

export function privacyRoutes({ services }: RouteDeps) {
  const { catalog, customers, privacy, consent, auth } = services;
  const app = router();
  app.use('/api/v1/stores/:store/customers/:customer/*', requireAdmin(auth, async (slug) => (await catalog.store(slug)).id));

  app.openapi(routes.export, async (c) => {
    const { store: slug, customer } = c.req.valid('param');
    const store = await catalog.store(slug);
    const data = await privacy.export(store.id, customer);
    const history = await consent.history(customer);
    return c.json(
      {
        ...data,
        customer: { ...data.customer, createdAt: iso(data.customer.createdAt) },
        identities: data.identities.map((i) => ({ ...i, since: iso(i.since) })),
        consent: data.consent.map((r) => ({ ...r, status: r.status === 'subscribed' ? ('subscribed' as const) : ('unsubscribed' as const), changedAt: iso(r.changedAt) })),
        history: history.map((h) => ({ ...h, changedAt: iso(h.changedAt), at: iso(h.at) })),
      },
      200,
    );
  });
  app.openapi(routes.erase, async (c) => {
    const { store: slug, customer } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(await privacy.erase(store.id, customer, `admin:${c.get('principal').id}`), 200);
  });
  app.openapi(routes.consent, async (c) => {
    const { store: slug, customer: id, channel } = c.req.valid('param');
    const { status, source } = c.req.valid('json');
    const store = await catalog.store(slug);
    const customer = await customers.get(store.id, id);
    const changed =
      status === 'subscribed' ? await consent.subscribe(store.id, customer.id, channel, source) : await consent.unsubscribe(store.id, customer.id, channel, source);
    return c.json({ status, changed }, 200);
  });
  return app;
}
