import { createRoute, z } from '@hono/zod-openapi';
import { unwrap } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { presentStore, presentStoreAdmin } from '../presenters.ts';
import { MAX_TAX_RATE_BPS, shippingRatesSchema } from '../../catalog/store-settings.ts';
import { AutomationsPatch, AutomationsSchema } from './store-automations.schema.ts';
import { CategorySchema, currencyCode, errorResponses, json, SlugSchema, StoreAdminSchema, StoreParam, StoreSchema } from '../schemas.ts';

const CategoryParams = StoreParam.extend({ category: z.string().min(1).max(80).openapi({ param: { name: 'category', in: 'path' } }) });

const NewStore = z
  .object({
    slug: SlugSchema,
    name: z.string().trim().min(1).max(120),
    currency: currencyCode,
    locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).optional(),
    reservationTtlSeconds: z.number().int().min(30).max(86_400).optional(),
    taxRateBps: z.number().int().min(0).max(MAX_TAX_RATE_BPS).optional().openapi({ description: 'Tax rate in basis points: 2000 = 20 %' }),
    taxInclusive: z.boolean().optional().openapi({ description: 'true: prices include tax (reported, not added); false: tax is added at checkout' }),
    shippingRates: shippingRatesSchema.optional().openapi({
      description: 'Flat ({kind:"flat", amount}) or weight-based ({kind:"weight", brackets:[{upToGrams, amount}]}) rates in minor units; optional freeOver and countries. The first rate without countries is quoted.',
    }),
  })
  .strict()
  .openapi('NewStore');
/** Staff notice targets; null clears one (back to the STAFF_NOTIFY default). */
const StaffSettings = z.object({
  staffTelegramChatId: z
    .string()
    .regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, 'must be a Telegram chat id (e.g. -1001234567890) or @channelusername')
    .nullable()
    .optional()
    .openapi({ description: 'Telegram group/channel where staff hear of paid orders and return requests' }),
  staffDiscordChannelId: z
    .string()
    .regex(/^\d{5,25}$/, 'must be a Discord channel id (a number)')
    .nullable()
    .optional()
    .openapi({ description: 'Discord channel where staff hear of paid orders and return requests' }),
});
const StorePatch = NewStore.omit({ slug: true, currency: true }).partial().extend({ ...StaffSettings.shape, automations: AutomationsPatch.optional() }).strict();
const StoreWithAutomations = StoreAdminSchema.extend({ automations: AutomationsSchema }).openapi('StoreWithAutomations');

const NewCategory = z
  .object({
    slug: SlugSchema.optional(),
    name: z.string().trim().min(1).max(120),
    parent: z.string().max(80).nullable().optional().openapi({ description: 'Parent category slug or id' }),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .strict()
  .openapi('NewCategory');
const CategoryPatch = NewCategory.omit({ slug: true }).partial().strict();

const routes = {
  listStores: createRoute({
    method: 'get', path: '/api/v1/stores', tags: ['Stores'], summary: 'All stores', security: bearerSecurity,
    responses: { 200: { description: 'Stores', ...json(z.object({ items: z.array(StoreAdminSchema) })) }, ...errorResponses(401, 403) },
  }),
  createStore: createRoute({
    method: 'post', path: '/api/v1/stores', tags: ['Stores'], summary: 'Create a store', security: bearerSecurity,
    request: { body: { required: true, ...json(NewStore) } },
    responses: { 201: { description: 'Created', ...json(StoreAdminSchema) }, ...errorResponses(400, 401, 403, 409) },
  }),
  getStore: createRoute({
    method: 'get', path: '/api/v1/stores/{store}', tags: ['Stores'], summary: 'Public store information',
    request: { params: StoreParam },
    responses: { 200: { description: 'The store', ...json(StoreSchema) }, ...errorResponses(404) },
  }),
  patchStore: createRoute({
    method: 'patch', path: '/api/v1/stores/{store}', tags: ['Stores'], summary: 'Change a store', security: bearerSecurity,
    request: { params: StoreParam, body: { required: true, ...json(StorePatch) } },
    responses: { 200: { description: 'Updated', ...json(StoreWithAutomations) }, ...errorResponses(400, 401, 403, 404) },
  }),
  getAutomations: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/automations', tags: ['Marketing'], summary: 'The store\'s marketing automations (switches and delays)', security: bearerSecurity,
    request: { params: StoreParam },
    responses: { 200: { description: 'Automations', ...json(AutomationsSchema) }, ...errorResponses(401, 403, 404) },
  }),
  listCategories: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/categories', tags: ['Catalog'], summary: 'Categories of a store',
    request: { params: StoreParam },
    responses: { 200: { description: 'Categories', ...json(z.object({ items: z.array(CategorySchema) })) }, ...errorResponses(404) },
  }),
  createCategory: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/categories', tags: ['Catalog admin'], summary: 'Create a category', security: bearerSecurity,
    request: { params: StoreParam, body: { required: true, ...json(NewCategory) } },
    responses: { 201: { description: 'Created', ...json(CategorySchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  }),
  patchCategory: createRoute({
    method: 'patch', path: '/api/v1/stores/{store}/categories/{category}', tags: ['Catalog admin'], summary: 'Change a category', security: bearerSecurity,
    request: { params: CategoryParams, body: { required: true, ...json(CategoryPatch) } },
    responses: { 200: { description: 'Updated', ...json(CategorySchema) }, ...errorResponses(400, 401, 403, 404) },
  }),
  deleteCategory: createRoute({
    method: 'delete', path: '/api/v1/stores/{store}/categories/{category}', tags: ['Catalog admin'],
    summary: 'Delete a category (its products become uncategorised)', security: bearerSecurity,
    request: { params: CategoryParams },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
  }),
};

export function storeRoutes({ services }: RouteDeps) {
  const { catalog, auth, automations } = services;
  const app = router();
  const admin = requireAdmin(auth, async (slug) => (await catalog.store(slug)).id);

  app.on(['GET', 'POST'], '/api/v1/stores', admin);
  app.on(['PATCH'], '/api/v1/stores/:store', admin);
  app.on(['GET'], '/api/v1/stores/:store/automations', admin);
  app.on(['POST'], '/api/v1/stores/:store/categories', admin);
  app.on(['PATCH', 'DELETE'], '/api/v1/stores/:store/categories/:category', admin);

  app.openapi(routes.listStores, async (c) => {
    const principal = c.get('principal');
    const stores = await catalog.listStores();
    return c.json({ items: stores.filter((s) => principal.storeId === null || principal.storeId === s.id).map(presentStoreAdmin) }, 200);
  });
  app.openapi(routes.createStore, async (c) => {
    if (c.get('principal').storeId !== null) unwrap({ ok: false, code: 'FORBIDDEN', message: 'A store-scoped key cannot create stores' });
    return c.json(presentStoreAdmin(unwrap(await catalog.createStore(c.req.valid('json')))), 201);
  });
  app.openapi(routes.getStore, async (c) => c.json(presentStore(await catalog.store(c.req.valid('param').store)), 200));
  app.openapi(routes.patchStore, async (c) => {
    const { automations: automationPatch, ...patch } = c.req.valid('json');
    const slug = c.req.valid('param').store;
    const store = Object.keys(patch).length ? await catalog.updateStore(slug, patch) : await catalog.store(slug);
    const settings = automationPatch ? await automations.update(store.id, automationPatch) : await automations.get(store.id);
    return c.json({ ...presentStoreAdmin(store), automations: settings }, 200);
  });
  app.openapi(routes.getAutomations, async (c) => c.json(await automations.get((await catalog.store(c.req.valid('param').store)).id), 200));
  app.openapi(routes.listCategories, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    return c.json({ items: await catalog.listCategories(store.id) }, 200);
  });
  app.openapi(routes.createCategory, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    return c.json(unwrap(await catalog.createCategory(store.id, c.req.valid('json'))), 201);
  });
  app.openapi(routes.patchCategory, async (c) => {
    const { store: slug, category } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(await catalog.updateCategory(store.id, category, c.req.valid('json')), 200);
  });
  app.openapi(routes.deleteCategory, async (c) => {
    const { store: slug, category } = c.req.valid('param');
    const store = await catalog.store(slug);
    await catalog.removeCategory(store.id, category);
    return c.body(null, 204);
  });
  return app;
}
