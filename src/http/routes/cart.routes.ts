import { createRoute, z } from '@hono/zod-openapi';
import { AppError, unwrap } from '../../shared/errors.ts';
import { requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { presentCart, presentOrder, presentPayment } from '../presenters.ts';
import { CartSchema, errorResponses, json, OrderSchema, PaymentSchema, ShippingAddressSchema, SkuSchema, StoreParam } from '../schemas.ts';

const CartParams = StoreParam.extend({ cart: z.string().min(1).max(64).openapi({ param: { name: 'cart', in: 'path' } }) });
const ItemParams = CartParams.extend({ item: z.string().min(1).max(64).openapi({ param: { name: 'item', in: 'path' } }) });
const quantity = z.number().int().min(1).max(999);

const routes = {
  create: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/carts', tags: ['Cart and checkout'],
    summary: 'Open a cart (a customer\'s open cart is returned if one exists; customerId needs an admin credential)',
    request: {
      params: StoreParam,
      body: { required: false, ...json(z.object({ customerId: z.string().max(64).optional(), channel: z.enum(['telegram', 'discord', 'web', 'api']).optional() }).strict()) },
    },
    responses: { 201: { description: 'The cart', ...json(z.object({ id: z.string() }).extend({ cart: CartSchema })) }, ...errorResponses(400, 401, 404) },
  }),
  get: createRoute({
    method: 'get', path: '/api/v1/stores/{store}/carts/{cart}', tags: ['Cart and checkout'], summary: 'The cart with server-computed totals',
    request: { params: CartParams },
    responses: { 200: { description: 'The cart', ...json(CartSchema) }, ...errorResponses(404) },
  }),
  addItem: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/carts/{cart}/items', tags: ['Cart and checkout'], summary: 'Add units of a SKU',
    request: { params: CartParams, body: { required: true, ...json(z.object({ sku: SkuSchema, quantity: quantity.default(1) }).strict()) } },
    responses: { 200: { description: 'The cart', ...json(CartSchema) }, ...errorResponses(400, 404, 409) },
  }),
  setItem: createRoute({
    method: 'patch', path: '/api/v1/stores/{store}/carts/{cart}/items/{item}', tags: ['Cart and checkout'], summary: 'Set a line\'s quantity (0 removes it)',
    request: { params: ItemParams, body: { required: true, ...json(z.object({ quantity: z.number().int().min(0).max(999) }).strict()) } },
    responses: { 200: { description: 'The cart', ...json(CartSchema) }, ...errorResponses(400, 404, 409) },
  }),
  removeItem: createRoute({
    method: 'delete', path: '/api/v1/stores/{store}/carts/{cart}/items/{item}', tags: ['Cart and checkout'], summary: 'Remove a line',
    request: { params: ItemParams },
    responses: { 200: { description: 'The cart', ...json(CartSchema) }, ...errorResponses(404, 409) },
  }),
  shippingAddress: createRoute({
    method: 'put', path: '/api/v1/stores/{store}/carts/{cart}/shipping-address', tags: ['Cart and checkout'],
    summary: 'Set where the order ships (copied onto the order at checkout; the shipping rate follows its country)',
    description: 'name, line1, city, postalCode and country (ISO 3166-1 alpha-2) are required; line2, state and phone are optional. A bad address answers 400 VALIDATION_FAILED with every bad field in details.issues.',
    request: { params: CartParams, body: { required: true, ...json(ShippingAddressSchema.partial().extend({ country: z.string().max(64).optional() }).strict()) } },
    responses: { 200: { description: 'The cart with its address and totals', ...json(CartSchema) }, ...errorResponses(400, 404, 409) },
  }),
  applyCode: createRoute({
    method: 'put', path: '/api/v1/stores/{store}/carts/{cart}/promotion', tags: ['Cart and checkout'],
    summary: 'Apply a promo code; a code that gives this cart nothing answers 422 PROMOTION_REFUSED with the reason',
    request: { params: CartParams, body: { required: true, ...json(z.object({ code: z.string().trim().min(1).max(40) }).strict()) } },
    responses: { 200: { description: 'The cart with the discount in its totals', ...json(CartSchema) }, ...errorResponses(400, 404, 409, 422) },
  }),
  removeCode: createRoute({
    method: 'delete', path: '/api/v1/stores/{store}/carts/{cart}/promotion', tags: ['Cart and checkout'], summary: 'Remove the promo code',
    request: { params: CartParams },
    responses: { 200: { description: 'The cart', ...json(CartSchema) }, ...errorResponses(404, 409) },
  }),
  checkout: createRoute({
    method: 'post', path: '/api/v1/stores/{store}/carts/{cart}/checkout', tags: ['Cart and checkout'],
    summary: 'Place the order: stock is reserved until the payment window lapses. Idempotent by key.',
    request: {
      params: CartParams,
      headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional().openapi({ description: 'Required; the same key returns the same order' }) }),
      body: { required: false, ...json(z.object({ email: z.email().max(254).optional(), channel: z.enum(['telegram', 'discord', 'web', 'api']).optional() }).strict()) },
    },
    responses: {
      201: { description: 'Order placed', ...json(z.object({ order: OrderSchema, payment: PaymentSchema.nullable(), message: z.string().optional() })) },
      200: { description: 'The same key again: the same order', ...json(z.object({ order: OrderSchema, payment: PaymentSchema.nullable(), message: z.string().optional() })) },
      ...errorResponses(400, 404, 409, 422),
    },
  }),
};

export function cartRoutes({ services }: RouteDeps) {
  const { catalog, carts, checkout, customers, auth } = services;
  const app = router();
  const admin = requireAdmin(auth, async (slug) => (await catalog.store(slug)).id);

  app.openapi(routes.create, async (c) => {
    const store = await catalog.store(c.req.valid('param').store);
    const body = (c.req.header('content-type')?.includes('json') ? c.req.valid('json') : undefined) ?? {};
    if (body.customerId) {
      await admin(c, async () => {});
      await customers.get(store.id, body.customerId);
    }
    const cart = await carts.open(store, body);
    return c.json({ id: cart.id, cart: presentCart(await carts.view(store.id, cart.id)) }, 201);
  });

  app.openapi(routes.get, async (c) => {
    const { store: slug, cart } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentCart(await carts.view(store.id, cart)), 200);
  });

  app.openapi(routes.addItem, async (c) => {
    const { store: slug, cart } = c.req.valid('param');
    const { sku, quantity: q } = c.req.valid('json');
    const store = await catalog.store(slug);
    return c.json(presentCart(unwrap(await carts.addItem(store.id, cart, sku, q))), 200);
  });

  app.openapi(routes.setItem, async (c) => {
    const { store: slug, cart, item } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentCart(unwrap(await carts.setQuantity(store.id, cart, item, c.req.valid('json').quantity))), 200);
  });

  app.openapi(routes.removeItem, async (c) => {
    const { store: slug, cart, item } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentCart(unwrap(await carts.removeItem(store.id, cart, item))), 200);
  });

  app.openapi(routes.applyCode, async (c) => {
    const { store: slug, cart } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentCart(unwrap(await carts.applyPromotion(store.id, cart, c.req.valid('json').code))), 200);
  });
  app.openapi(routes.removeCode, async (c) => {
    const { store: slug, cart } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentCart(unwrap(await carts.removePromotion(store.id, cart))), 200);
  });

  app.openapi(routes.shippingAddress, async (c) => {
    const { store: slug, cart } = c.req.valid('param');
    const store = await catalog.store(slug);
    return c.json(presentCart(unwrap(await carts.setShippingAddress(store.id, cart, c.req.valid('json')))), 200);
  });

  app.openapi(routes.checkout, async (c) => {
    const { store: slug, cart } = c.req.valid('param');
    const key = c.req.valid('header')['idempotency-key'];
    if (!key) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header so a retried checkout never places two orders');
    const body = (c.req.header('content-type')?.includes('json') ? c.req.valid('json') : undefined) ?? {};
    const store = await catalog.store(slug);
    const result = unwrap(await checkout.checkout(store, cart, { idempotencyKey: key, ...body }));
    const payload = {
      order: presentOrder(result.order),
      payment: result.payment ? presentPayment(result.payment) : null,
      // The payment provider could not be reached: the order is placed and held; the same key asks again.
      ...(!result.payment && result.order.status === 'pending_payment' && {
        message: 'Payment could not be started right now. Your order is placed and its items are reserved; try again in a moment with the same Idempotency-Key.',
      }),
    };
    return result.replayed ? c.json(payload, 200) : c.json(payload, 201);
  });

  return app;
}
