import { createRoute, z } from '@hono/zod-openapi';
import type { BroadcastRecord } from '../../marketing/broadcast.types.ts';
import { broadcastStatuses } from '../../marketing/broadcast.types.ts';
import { describeSegment, parseSegment } from '../../marketing/segment.ts';
import { AppError, unwrap } from '../../shared/errors.ts';
import { currencyExponent, formatMoney } from '../../shared/money.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { errorResponses, json, StoreParam } from '../schemas.ts';

const IdParams = StoreParam.extend({ broadcast: z.string().min(1).max(64).openapi({ param: { name: 'broadcast', in: 'path' } }) });

const BroadcastSchema = z
  .object({
    id: z.string(),
    status: z.enum(broadcastStatuses),
    text: z.string(),
    imageUrl: z.string().nullable(),
    productId: z.string().nullable(),
    segment: z.string().openapi({ description: 'Who it goes to, in words' }),
    scheduledAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    createdBy: z.string(),
    recipients: z.number(),
    sent: z.number(),
    failed: z.number(),
    blocked: z.number(),
    skipped: z.number(),
  })
  .openapi('Broadcast');
const ResultsSchema = z
  .object({ clicks: z.number(), orders: z.number(), revenue: z.array(z.object({ amount: z.number(), currency: z.string() })) })
  .openapi('BroadcastResults', { description: 'Buy-button clicks, and the paid orders and revenue of those recipients within 7 days of their click' });
const PreviewSchema = z
  .object({ broadcast: BroadcastSchema, recipients: z.object({ telegram: z.number(), discord: z.number() }), results: ResultsSchema.nullable().optional() })
  .openapi('BroadcastPreview');

const routes = {
  draft: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/broadcasts', tags: ['Marketing'], security: bearerSecurity,
    summary: 'Compose a broadcast (a draft): see who it reaches before confirming; only subscribers ever receive it',
    request: {
      params: StoreParam,
      body: {
        required: true,
        ...json(
          z
            .object({
              text: z.string().max(4000),
              imageUrl: z.url({ protocol: /^https$/ }).max(2000).optional(),
              product: z.string().min(1).max(120).optional().openapi({ description: 'Product slug or id: the message carries its card and a Buy button' }),
              segment: z.string().max(500).default('all').openapi({ example: 'telegram bought:classic-hoodie spent>50', description: 'all, telegram, discord, bought:<slug>, category:<slug>, spent>N, inactive:N, tag:<tag>' }),
            })
            .strict(),
        ),
      },
    },
    responses: { 201: { description: 'The draft and its recipient count', ...json(PreviewSchema) }, ...errorResponses(400, 401, 403, 404) },
  }),
  list: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/broadcasts', tags: ['Marketing'], security: bearerSecurity, summary: 'Broadcasts, newest first, with their progress',
    request: { params: StoreParam },
    responses: { 200: { description: 'Broadcasts', ...json(z.object({ items: z.array(BroadcastSchema) })) }, ...errorResponses(401, 403, 404) },
  }),
  get: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/broadcasts/{broadcast}', tags: ['Marketing'], security: bearerSecurity, summary: 'One broadcast and its progress',
    request: { params: IdParams },
    responses: { 200: { description: 'The broadcast', ...json(PreviewSchema) }, ...errorResponses(401, 403, 404) },
  }),
  confirm: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/broadcasts/{broadcast}/confirm', tags: ['Marketing'], security: bearerSecurity,
    summary: 'Send the draft now, or at `at`; every recipient is planned once',
    request: { params: IdParams, body: { required: false, ...json(z.object({ at: z.iso.datetime({ offset: true }).optional() }).strict()) } },
    responses: { 200: { description: 'The broadcast, scheduled or sending', ...json(BroadcastSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  }),
  cancel: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/broadcasts/{broadcast}/cancel', tags: ['Marketing'], security: bearerSecurity,
    summary: 'Stop a broadcast; messages not yet sent are skipped',
    request: { params: IdParams },
    responses: { 200: { description: 'The broadcast, cancelled', ...json(BroadcastSchema) }, ...errorResponses(401, 403, 404, 409) },
  }),
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function broadcastRoutes({ services }: RouteDeps) {
  const { catalog, broadcasts, auth } = services;
  const app = router();
  const storeIdOf = async (slug: string) => (await catalog.store(slug)).id;
  app.use('/api/v1/stores/:store/broadcasts', requireAdmin(auth, storeIdOf));
  app.use('/api/v1/stores/:store/broadcasts/*', requireAdmin(auth, storeIdOf));
  const presenter =
    (currency: string) =>
    ({ storeId: _store, createdAt: _created, ...b }: BroadcastRecord) => ({
      ...b,
      segment: describeSegment(b.segment, (amount) => formatMoney({ amount, currency })),
      scheduledAt: iso(b.scheduledAt),
      startedAt: iso(b.startedAt),
      finishedAt: iso(b.finishedAt),
    });

  app.openapi(routes.draft, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const body = c.req.valid('json');
    const seg = parseSegment(body.segment, currencyExponent(store.currency));
    if (!seg.ok) throw new AppError('VALIDATION_FAILED', `segment: ${seg.message}`);
    const product = body.product ? await catalog.product(store.id, body.product) : null;
    const r = unwrap(await broadcasts.draft(store.id, { createdBy: `admin:${c.get('principal').id}`, text: body.text, imageUrl: body.imageUrl ?? null, productId: product?.id ?? null, segment: seg.segment }));
    return c.json({ broadcast: presenter(store.currency)(r.broadcast), recipients: r.recipients }, 201);
  });
  app.openapi(routes.list, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    return c.json({ items: (await broadcasts.list(store.id)).map(presenter(store.currency)) }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const { store: slug, broadcast } = c.req.valid('param');
    const store = await catalog.store(slug);
    const r = unwrap(await broadcasts.get(store.id, broadcast));
    return c.json({ broadcast: presenter(store.currency)(r.broadcast), recipients: r.recipients, results: await broadcasts.results(store.id, broadcast) }, 200);
  });
  app.openapi(routes.confirm, async (c) => {
    const { store: slug, broadcast } = c.req.valid('param');
    const store = await catalog.store(slug);
    const at = (await c.req.json().catch(() => ({}))) as { at?: string };
    return c.json(presenter(store.currency)(unwrap(await broadcasts.confirm(store.id, broadcast, at.at ? new Date(at.at) : undefined))), 200);
  });
  app.openapi(routes.cancel, async (c) => {
    const { store: slug, broadcast } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presenter(store.currency)(unwrap(await broadcasts.cancel(store.id, broadcast))), 200);
  });
  return app;
}
