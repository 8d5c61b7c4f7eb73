import { createRoute, z } from '@hono/zod-openapi';
import type { GroupDealRecord } from '../../marketing/group-deal.types.ts';
import { notFound, unwrap } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { errorResponses, json, StoreParam } from '../schemas.ts';

const IdParams = StoreParam.extend({ deal: z.string().min(1).max(64).openapi({ param: { name: 'deal', in: 'path' } }) });
const MoneySchema = z.object({ amount: z.number(), currency: z.string() });

const DealSchema = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'closing', 'succeeded', 'failed']),
    sku: z.string(),
    title: z.string(),
    groupPrice: MoneySchema,
    regularPrice: MoneySchema,
    minPeople: z.number(),
    joined: z.number(),
    endsAt: z.string(),
    channel: z.enum(['telegram', 'discord']),
    chatId: z.string(),
    messageId: z.string().nullable(),
    createdBy: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('GroupDeal');

const routes = {
  create: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/group-deals', tags: ['Marketing'], security: bearerSecurity,
    summary: 'Create a group deal and post it (with Join and Leave buttons) to a Telegram chat or Discord channel',
    request: {
      params: StoreParam,
      body: {
        required: true,
        ...json(
          z
            .object({
              product: z.string().min(1).max(120).openapi({ description: 'Product slug (a single-variant product) or SKU' }),
              groupPrice: z.number().int().positive().openapi({ description: 'Per unit, minor units; below the normal price' }),
              minPeople: z.number().int().min(2).max(1000),
              endsAt: z.iso.datetime({ offset: true }),
              channel: z.enum(['telegram', 'discord']),
              chatId: z.string().min(1).max(64).openapi({ description: 'Telegram chat id (-100…) or @channel, or Discord channel id' }),
            })
            .strict(),
        ),
      },
    },
    responses: { 201: { description: 'The deal; posted says whether the channel posted it', ...json(z.object({ deal: DealSchema, posted: z.boolean() })) }, ...errorResponses(400, 401, 403, 404) },
  }),
  list: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/group-deals', tags: ['Marketing'], security: bearerSecurity, summary: 'Group deals, newest first',
    request: { params: StoreParam },
    responses: { 200: { description: 'Deals', ...json(z.object({ items: z.array(DealSchema) })) }, ...errorResponses(401, 403, 404) },
  }),
  get: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/group-deals/{deal}', tags: ['Marketing'], security: bearerSecurity, summary: 'One group deal and its joiner count',
    request: { params: IdParams },
    responses: { 200: { description: 'The deal', ...json(DealSchema) }, ...errorResponses(401, 403, 404) },
  }),
};

const present = (d: GroupDealRecord) => ({
  id: d.id,
  status: d.status,
  sku: d.sku,
  title: d.title,
  groupPrice: { amount: d.groupPrice, currency: d.currency },
  regularPrice: { amount: d.regularPrice, currency: d.currency },
  minPeople: d.minPeople,
  joined: d.joined,
  endsAt: d.endsAt.toISOString(),
  channel: d.channel,
  chatId: d.chatId,
  messageId: d.messageId,
  createdBy: d.createdBy,
  closedAt: d.closedAt?.toISOString() ?? null,
});

export function groupDealRoutes({ services }: RouteDeps) {
  const { catalog, groupDeals, auth } = services;
  const app = router();
  const storeIdOf = async (slug: string) => (await catalog.store(slug)).id;
  app.use('/api/v1/stores/:store/group-deals', requireAdmin(auth, storeIdOf));
  app.use('/api/v1/stores/:store/group-deals/*', requireAdmin(auth, storeIdOf));

  app.openapi(routes.create, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const b = c.req.valid('json');
    const r = await groupDeals.create(store.id, { ...b, endsAt: new Date(b.endsAt), createdBy: `admin:${c.get('principal').id}` });
    const deal = unwrap(r);
    const posted = await groupDeals.publish(deal);
    return c.json({ deal: present((await groupDeals.get(store.id, deal.id)) ?? deal), posted }, 201);
  });
  app.openapi(routes.list, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    return c.json({ items: (await groupDeals.list(store.id)).map(present) }, 200);
  });
  app.openapi(routes.get, async (c) => {
    const { store: slug, deal: id } = c.req.valid('param');
    const store = await catalog.store(slug);
    const deal = await groupDeals.get(store.id, id);
    if (!deal) throw notFound('Group deal');
    return c.json(present(deal), 200);
  });
  return app;
}
