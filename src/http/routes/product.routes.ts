import { createRoute, z } from '@hono/zod-openapi';
import { productSorts } from '../../search/search.ports.ts';
import { unwrap } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { deliverableRoutes } from './deliverable.routes.ts';
import { presentProduct, presentVariant } from '../presenters.ts';
import { cursorParam, errorResponses, json, NewProductSchema, NewVariantSchema, ProductParams, ProductPatchSchema, ProductSchema, StoreParam, VariantPatchSchema } from '../schemas.ts';

const VariantParams = ProductParams.extend({ variant: z.string().min(1).max(120).openapi({ param: { name: 'variant', in: 'path' } }) });
const VariantResponse = z.object({ variant: z.object({}).passthrough() }).openapi('VariantResponse');

const ListQuery = z.object({
  q: z.string().max(200).optional().openapi({ example: 'red hoodie' }),
  category: z.string().max(80).optional().openapi({ description: 'Category slug (includes sub-categories)' }),
  minPrice: z.coerce.number().int().min(0).optional().openapi({ description: 'Minor units' }),
  maxPrice: z.coerce.number().int().min(0).optional().openapi({ description: 'Minor units' }),
  sort: z.enum(productSorts).default('relevance'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorParam,
  status: z.enum(['active', 'draft', 'archived', 'any']).optional().openapi({ description: 'Admin only; shoppers always see active products' }),
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/stores/{store}/products',
  tags: ['Catalog'],
  summary: 'List and search products',
  request: { params: StoreParam, query: ListQuery },
  responses: {
    200: { description: 'A page of products', ...json(z.object({ items: z.array(ProductSchema), nextCursor: z.string().nullable() })) },
    ...errorResponses(400, 401, 404),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/v1/stores/{store}/products/{product}',
  tags: ['Catalog'],
  summary: 'A product with its variants and stock, by id or slug',
  request: { params: ProductParams },
  responses: { 200: { description: 'The product', ...json(ProductSchema) }, ...errorResponses(404) },
});

const createRouteDef = createRoute({
  method: 'post',
  path: '/api/v1/stores/{store}/products',
  tags: ['Catalog admin'],
  summary: 'Create a product with its variants, stock and images',
  security: bearerSecurity,
  request: { params: StoreParam, body: { required: true, ...json(NewProductSchema) } },
  responses: { 201: { description: 'Created', ...json(ProductSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/api/v1/stores/{store}/products/{product}',
  tags: ['Catalog admin'],
  summary: 'Change product fields (images are replaced when given)',
  security: bearerSecurity,
  request: { params: ProductParams, body: { required: true, ...json(ProductPatchSchema) } },
  responses: { 200: { description: 'Updated', ...json(ProductSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/v1/stores/{store}/products/{product}',
  tags: ['Catalog admin'],
  summary: 'Delete a product (refused while unpaid orders hold its stock)',
  security: bearerSecurity,
  request: { params: ProductParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 409) },
});

const addVariantRoute = createRoute({
  method: 'post',
  path: '/api/v1/stores/{store}/products/{product}/variants',
  tags: ['Catalog admin'],
  summary: 'Add a variant',
  security: bearerSecurity,
  request: { params: ProductParams, body: { required: true, ...json(NewVariantSchema) } },
  responses: { 201: { description: 'Created', ...json(VariantResponse) }, ...errorResponses(400, 401, 403, 404, 409) },
});

const patchVariantRoute = createRoute({
  method: 'patch',
  path: '/api/v1/stores/{store}/products/{product}/variants/{variant}',
  tags: ['Catalog admin'],
  summary: 'Change a variant (by id or SKU)',
  security: bearerSecurity,
  request: { params: VariantParams, body: { required: true, ...json(VariantPatchSchema) } },
  responses: { 200: { description: 'Updated', ...json(VariantResponse) }, ...errorResponses(400, 401, 403, 404) },
});

const deleteVariantRoute = createRoute({
  method: 'delete',
  path: '/api/v1/stores/{store}/products/{product}/variants/{variant}',
  tags: ['Catalog admin'],
  summary: 'Delete a variant (by id or SKU)',
  security: bearerSecurity,
  request: { params: VariantParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 409) },
});

const stockRoute = createRoute({
  method: 'put',
  path: '/api/v1/stores/{store}/inventory/{sku}',
  tags: ['Catalog admin'],
  summary: 'Set on-hand stock of a SKU (never below what unpaid orders hold)',
  security: bearerSecurity,
  request: {
    params: StoreParam.extend({ sku: z.string().min(1).max(64).openapi({ param: { name: 'sku', in: 'path' } }) }),
    body: { required: true, ...json(z.object({ onHand: z.number().int().min(0).max(10_000_000) }).strict()) },
  },
  responses: { 200: { description: 'Stock after the change', ...json(VariantResponse) }, ...errorResponses(400, 401, 403, 404, 409) },
});

export function productRoutes(deps: RouteDeps) {
  const { catalog, search, auth } = deps.services;
  const app = router();
  // Digital goods (deliverables, license-key pools) live under the product.
  app.route('/', deliverableRoutes(deps));
  const admin = requireAdmin(auth, async (slug) => (await catalog.store(slug)).id);
  const hasAdminHeader = (h: string | undefined) => !!h && /^Bearer\s+\S+$/i.test(h);

  app.openapi(listRoute, async (c) => {
    const { store: slug } = c.req.valid('param');
    const { status, ...query } = c.req.valid('query');
    const store = await catalog.store(slug);
    let statuses = ['active'];
    if (status && status !== 'active') {
      // Drafts and archived products are for the seller's eyes only.
      await admin(c, async () => {});
      statuses = status === 'any' ? ['active', 'draft', 'archived'] : [status];
    }
    const page = await search.products({ ...query, storeId: store.id, statuses });
    return c.json({ items: page.items.map(presentProduct), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { store: slug, product } = c.req.valid('param');
    const store = await catalog.store(slug);
    let includeHidden = false;
    if (hasAdminHeader(c.req.header('authorization'))) {
      await admin(c, async () => {});
      includeHidden = true;
    }
    return c.json(presentProduct(await catalog.product(store.id, product, { includeHidden })), 200);
  });

  app.use('/api/v1/stores/:store/products/:product/variants/*', admin);
  app.use('/api/v1/stores/:store/inventory/*', admin);
  app.on(['POST'], '/api/v1/stores/:store/products', admin);
  app.on(['PATCH', 'DELETE'], '/api/v1/stores/:store/products/:product', admin);

  app.openapi(createRouteDef, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const product = unwrap(await catalog.createProduct(store, c.req.valid('json')));
    return c.json(presentProduct(product), 201);
  });

  app.openapi(patchRoute, async (c) => {
    const { store: slug, product } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentProduct(unwrap(await catalog.updateProduct(store.id, product, c.req.valid('json')))), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { store: slug, product } = c.req.valid('param');
    const store = await catalog.store(slug);
    unwrap(await catalog.removeProduct(store.id, product));
    return c.body(null, 204);
  });

  app.openapi(addVariantRoute, async (c) => {
    const { store: slug, product } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json({ variant: presentVariant(unwrap(await catalog.addVariant(store, product, c.req.valid('json')))) }, 201);
  });

  app.openapi(patchVariantRoute, async (c) => {
    const { store: slug, product, variant } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json({ variant: presentVariant(await catalog.updateVariant(store.id, product, variant, c.req.valid('json'))) }, 200);
  });

  app.openapi(deleteVariantRoute, async (c) => {
    const { store: slug, product, variant } = c.req.valid('param');
    const store = await catalog.store(slug);
    unwrap(await catalog.removeVariant(store.id, product, variant));
    return c.body(null, 204);
  });

  app.openapi(stockRoute, async (c) => {
    const { store: slug, sku } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json({ variant: presentVariant(unwrap(await catalog.setStock(store.id, sku, c.req.valid('json').onHand))) }, 200);
  });

  return app;
}
