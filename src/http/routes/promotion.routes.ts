import { createRoute, z } from '@hono/zod-openapi';
import type { CatalogService } from '../../catalog/catalog.service.ts';
import { promotionKinds, type PromotionRule } from '../../promotions/promotion.types.ts';
import type { PromotionStats } from '../../promotions/promotions.ports.ts';
import { AppError, unwrap } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { errorResponses, json, StoreParam } from '../schemas.ts';

const amount = z.number().int().min(1).max(2_000_000_000);
const limit = z.number().int().min(1);

const PromotionInputSchema = z
  .object({
    code: z.string().min(1).max(40).openapi({ example: 'SPRING20', description: 'What shoppers type; stored upper case' }),
    kind: z.enum(promotionKinds),
    percentOff: z.number().optional().openapi({ description: 'percent: 0.01–100; buy_x_get_y: off the free units (default 100)' }),
    amountOff: amount.optional().openapi({ description: 'fixed: minor units off the eligible lines' }),
    buyQuantity: z.number().int().optional(),
    getQuantity: z.number().int().optional(),
    minSubtotal: amount.optional().openapi({ description: 'Minor units the eligible lines must reach' }),
    products: z.array(z.string().min(1).max(120)).max(500).optional().openapi({ description: 'Product slugs or ids in scope' }),
    categories: z.array(z.string().min(1).max(120)).max(100).optional().openapi({ description: 'Category slugs or ids in scope, each with the categories under it' }),
    firstOrderOnly: z.boolean().optional(),
    perCustomerLimit: limit.optional(),
    totalLimit: limit.optional(),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    budget: amount.optional().openapi({ description: 'Most discount over all redemptions, minor units' }),
    automatic: z.boolean().optional().openapi({ description: 'A sale: applies to carts in scope without a code (when the shopper types none), shown on product cards with a countdown to endsAt' }),
  })
  .strict()
  .openapi('PromotionInput');

const PromotionSchema = z
  .object({
    code: z.string(),
    kind: z.enum(promotionKinds),
    percentOff: z.number().nullable(),
    amountOff: z.number().nullable(),
    buyQuantity: z.number().nullable(),
    getQuantity: z.number().nullable(),
    currency: z.string(),
    minSubtotal: z.number().nullable(),
    productIds: z.array(z.string()),
    categoryIds: z.array(z.string()),
    firstOrderOnly: z.boolean(),
    perCustomerLimit: z.number().nullable(),
    totalLimit: z.number().nullable(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    budget: z.number().nullable(),
    active: z.boolean(),
    automatic: z.boolean(),
    uses: z.number().optional(),
    discountGiven: z.number().optional(),
  })
  .openapi('Promotion');

const CodeParams = StoreParam.extend({ code: z.string().min(1).max(40).openapi({ param: { name: 'code', in: 'path' } }) });

const routes = {
  create: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/promotions', tags: ['Promotions'], security: bearerSecurity,
    summary: 'Create a promo code: percent or fixed off, free shipping or buy X get Y, with scope, limits, dates and budget',
    request: { params: StoreParam, body: { required: true, ...json(PromotionInputSchema) } },
    responses: { 201: { description: 'The promotion', ...json(PromotionSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  }),
  list: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/promotions', tags: ['Promotions'], security: bearerSecurity,
    summary: 'The store’s promotions, newest first, with uses and discount given',
    request: { params: StoreParam },
    responses: { 200: { description: 'Promotions', ...json(z.object({ items: z.array(PromotionSchema) })) }, ...errorResponses(401, 403, 404) },
  }),
  update: createRoute({
    method: 'patch', path: '/api/v1/stores/{store}/promotions/{code}', tags: ['Promotions'], security: bearerSecurity,
    summary: 'Switch a promotion off (or on again)',
    request: { params: CodeParams, body: { required: true, ...json(z.object({ active: z.boolean() }).strict()) } },
    responses: { 200: { description: 'The promotion', ...json(PromotionSchema) }, ...errorResponses(400, 401, 403, 404) },
  }),
};

function present(p: PromotionRule & Partial<PromotionStats>) {
  const pct = p.percentBps === null ? null : p.percentBps / 100;
  return {
    code: p.code, kind: p.kind, percentOff: pct, amountOff: p.amountOff, buyQuantity: p.buyQuantity, getQuantity: p.getQuantity,
    currency: p.currency, minSubtotal: p.minSubtotal, productIds: p.productIds, categoryIds: p.categoryIds,
    firstOrderOnly: p.firstOrderOnly, perCustomerLimit: p.perCustomerLimit, totalLimit: p.totalLimit,
    startsAt: p.startsAt?.toISOString() ?? null, endsAt: p.endsAt?.toISOString() ?? null, budget: p.budget, active: p.active, automatic: p.automatic,
    ...(p.uses !== undefined && { uses: p.uses, discountGiven: p.discountGiven }),
  };
}

/** Product and category references (slug or id) to ids; an unknown one is a 400 naming it. */
async function resolveScope(catalog: CatalogService, storeId: string, products: string[] = [], categories: string[] = []) {
  const productIds: string[] = [];
  for (const ref of products) {
    const p = await catalog.product(storeId, ref, { includeHidden: true }).catch(() => null);
    if (!p) throw new AppError('VALIDATION_FAILED', `products: no product "${ref}"`, { issues: [{ path: 'body.products', message: `no product "${ref}"` }] });
    productIds.push(p.id);
  }
  const categoryIds: string[] = [];
  const known = categories.length ? await catalog.listCategories(storeId) : [];
  for (const ref of categories) {
    const c = known.find((k) => k.slug === ref || k.id === ref);
    if (!c) throw new AppError('VALIDATION_FAILED', `categories: no category "${ref}"`, { issues: [{ path: 'body.categories', message: `no category "${ref}"` }] });
    categoryIds.push(c.id);
  }
  return { productIds, categoryIds };
}

export function promotionRoutes({ services }: RouteDeps) {
  const { catalog, promotions, auth } = services;
  const app = router();
  const storeIdOf = async (slug: string) => (await catalog.store(slug)).id;
  app.use('/api/v1/stores/:store/promotions', requireAdmin(auth, storeIdOf));
  app.use('/api/v1/stores/:store/promotions/*', requireAdmin(auth, storeIdOf));

  app.openapi(routes.create, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const { products, categories, startsAt, endsAt, ...rest } = c.req.valid('json');
    const scope = await resolveScope(catalog, store.id, products, categories);
    const created = await promotions.create(store, {
      ...rest,
      ...scope,
      ...(startsAt && { startsAt: new Date(startsAt) }),
      ...(endsAt && { endsAt: new Date(endsAt) }),
    });
    return c.json(present(unwrap(created)), 201);
  });
  app.openapi(routes.list, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    return c.json({ items: (await promotions.list(store.id)).map(present) }, 200);
  });
  app.openapi(routes.update, async (c) => {
    const { store: slug, code } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(present(unwrap(await promotions.setActive(store.id, code, c.req.valid('json').active))), 200);
  });
  return app;
}
