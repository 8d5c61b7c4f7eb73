import { z } from '@hono/zod-openapi';
import { MAX_MINOR_UNITS } from '../shared/money.ts';
import { shippingRatesSchema } from '../catalog/store-settings.ts';

const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
/** A non-negative whole number of minor units. */
const minorUnits = z.number().int('must be a whole number of minor units').min(0).max(MAX_MINOR_UNITS);

export const MoneySchema = z
  .object({ amount: z.number().int(), currency: z.string() })
  .openapi('Money', { example: { amount: 2500, currency: 'EUR' } });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'INSUFFICIENT_STOCK' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = (...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503)[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: errorDescriptions[s], content: { 'application/json': { schema: ErrorSchema } } }]),
  );

const errorDescriptions = {
  400: 'Invalid input (VALIDATION_FAILED, BAD_REQUEST)',
  401: 'Missing or invalid credential (UNAUTHORIZED)',
  403: 'Credential not valid for this store (FORBIDDEN)',
  404: 'Not found (NOT_FOUND)',
  409: 'Conflict with the current state (CONFLICT, INSUFFICIENT_STOCK, ILLEGAL_TRANSITION, CART_CLOSED)',
  413: 'Body too large (PAYLOAD_TOO_LARGE)',
  415: 'Unsupported content type',
  429: 'Too many requests (RATE_LIMITED); the Retry-After header says when to try again',
  422: 'Well-formed but refused (CART_EMPTY, IDEMPOTENCY_KEY_REUSED, IMPORT_FAILED, PROMOTION_REFUSED)',
  503: 'A dependency is down',
} as const;

export const StoreParam = z.object({ store: z.string().min(1).max(80).openapi({ param: { name: 'store', in: 'path' }, example: 'demo' }) });
/** A product of the store, by id or slug. */
export const ProductParams = StoreParam.extend({ product: z.string().min(1).max(120).openapi({ param: { name: 'product', in: 'path' }, description: 'Product id or slug' }) });

/** A JSON request or response body of this schema (OpenAPI). */
export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

export const PriceSchema = minorUnits.openapi({ description: 'Minor units (cents)', example: 2500 });
export const CurrencySchema = currencyCode.openapi({ example: 'EUR' });

const sku = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'may hold letters, digits and . _ - /');
export const SkuSchema = sku.openapi({ example: 'HOOD-RED-M' });
const options = z.record(z.string().min(1).max(40), z.string().max(80)).refine((o) => Object.keys(o).length <= 10, 'at most 10 options');
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and dashes').max(80);

export const NewVariantSchema = z
  .object({
    sku,
    title: z.string().max(200).optional(),
    options: options.optional(),
    price: minorUnits,
    compareAtPrice: minorUnits.nullable().optional(),
    weightGrams: z.number().int().min(0).max(1_000_000).nullable().optional(),
    onHand: z.number().int().min(0).max(10_000_000).optional(),
    bundle: z.array(z.object({ sku, quantity: z.number().int().min(1).max(100) })).min(1).max(20).optional(),
  })
  .openapi('NewVariant');

export const VariantPatchSchema = NewVariantSchema.omit({ sku: true, onHand: true, bundle: true }).partial().strict().openapi('VariantPatch');

const imageInput = z.object({ url: z.url().max(2000), alt: z.string().max(300).optional() });

export const NewProductSchema = z
  .object({
    slug: slug.optional(),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).optional(),
    status: z.enum(['draft', 'active', 'archived']).optional(),
    category: z.string().max(80).nullable().optional().openapi({ description: 'Category slug or id' }),
    tags: z.array(z.string().max(40)).max(30).optional(),
    translations: z
      .record(z.string().regex(/^[a-z]{2}(-[A-Z][A-Za-z]{1,3})?$/, 'must be a locale such as zh-CN'), z.object({ title: z.string().max(200).optional(), description: z.string().max(10_000).optional() }).strict())
      .optional()
      .openapi({ description: 'Per-locale title/description, e.g. { "zh-CN": { "title": "经典连帽衫" } }' }),
    images: z.array(imageInput).max(20).optional(),
    variants: z.array(NewVariantSchema).min(1).max(100),
  })
  .strict()
  .openapi('NewProduct');

export const ProductPatchSchema = NewProductSchema.omit({ variants: true }).partial().strict().openapi('ProductPatch');

const VariantSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    title: z.string(),
    options: z.record(z.string(), z.string()),
    price: MoneySchema,
    compareAtPrice: MoneySchema.nullable(),
    weightGrams: z.number().nullable(),
    stock: z.object({ available: z.number().int(), onHand: z.number().int(), reserved: z.number().int() }),
    bundle: z.array(z.object({ sku: z.string(), quantity: z.number().int() })).nullable(),
  })
  .openapi('Variant');

export const CategorySchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), parentId: z.string().nullable(), position: z.number().int() })
  .openapi('Category');

export const ProductSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    status: z.string(),
    category: CategorySchema.nullable(),
    tags: z.array(z.string()),
    translations: z.record(z.string(), z.object({ title: z.string().optional(), description: z.string().optional() })),
    price: MoneySchema.openapi({ description: 'Lowest variant price' }),
    available: z.number().int().openapi({ description: 'Units available over all variants' }),
    images: z.array(z.object({ url: z.string(), alt: z.string() })),
    variants: z.array(VariantSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Product');

export const StoreSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    currency: z.string(),
    locale: z.string(),
    reservationTtlSeconds: z.number().int(),
    taxRateBps: z.number().int(),
    taxInclusive: z.boolean(),
    shippingRates: shippingRatesSchema,
  })
  .openapi('Store');

export const StoreAdminSchema = StoreSchema.extend({
  staffTelegramChatId: z.string().nullable().openapi({ description: 'Where staff notices go on Telegram; null: the STAFF_NOTIFY default' }),
  staffDiscordChannelId: z.string().nullable().openapi({ description: 'Where staff notices go on Discord; null: the STAFF_NOTIFY default' }),
}).openapi('StoreAdmin');

export const limitParam = z.coerce.number().int().min(1).max(100).default(20);
export const cursorParam = z.string().max(500).optional();

export { currencyCode, slug as SlugSchema };

export const ShippingAddressSchema = z
  .object({
    name: z.string().max(100),
    line1: z.string().max(200),
    line2: z.string().max(200).optional(),
    city: z.string().max(100),
    state: z.string().max(100).optional().openapi({ description: 'State, province or county, where the country uses one' }),
    postalCode: z.string().max(16),
    country: z.string().openapi({ description: 'ISO 3166-1 alpha-2, e.g. DE', example: 'DE' }),
    phone: z.string().max(24).optional(),
  })
  .openapi('ShippingAddress', { example: { name: 'Ada Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE', phone: '+49 30 1234567' } });

export const CartSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    customerId: z.string().nullable(),
    items: z.array(
      z.object({
        id: z.string(),
        sku: z.string(),
        productId: z.string(),
        productSlug: z.string(),
        title: z.string(),
        variantTitle: z.string(),
        imageUrl: z.string().nullable(),
        quantity: z.number().int(),
        unitPrice: MoneySchema,
        lineTotal: MoneySchema,
        available: z.number().int(),
      }),
    ),
    totals: z.object({ subtotal: MoneySchema, discount: MoneySchema, shipping: MoneySchema, tax: MoneySchema, taxIncluded: z.boolean(), total: MoneySchema }),
    promotion: z
      .object({
        code: z.string(),
        applies: z.boolean().openapi({ description: 'false when the code no longer gives anything (expired, used up, the cart changed)' }),
        freeShipping: z.boolean(),
        automatic: z.boolean().openapi({ description: 'true for a running sale (no code typed)' }),
      })
      .nullable(),
    shippingAddress: ShippingAddressSchema.nullable(),
    itemCount: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi('Cart');

export const PaymentSchema = z
  .object({ provider: z.string(), status: z.string(), url: z.string().nullable(), amount: MoneySchema, refunded: MoneySchema })
  .openapi('Payment');

export const OrderSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    status: z.string(),
    customerId: z.string().nullable(),
    channel: z.string(),
    email: z.string().nullable(),
    subtotal: MoneySchema,
    discount: MoneySchema,
    shipping: MoneySchema,
    tax: MoneySchema,
    taxIncluded: z.boolean().openapi({ description: 'True when tax is contained in the prices (reported, not added)' }),
    total: MoneySchema,
    reservedUntil: z.string().nullable(),
    shippingAddress: ShippingAddressSchema.nullable(),
    tracking: z.object({ number: z.string().nullable(), carrierUrl: z.string().nullable() }).nullable().openapi({ description: 'Set when the order is shipped' }),
    items: z.array(
      z.object({ sku: z.string(), title: z.string(), variantTitle: z.string(), quantity: z.number().int(), unitPrice: MoneySchema, lineTotal: MoneySchema }),
    ),
    events: z.array(z.object({ from: z.string().nullable(), to: z.string(), actor: z.string(), note: z.string().nullable(), at: z.string() })),
    payments: z.array(PaymentSchema),
    deliveries: z
      .array(z.object({ product: z.string(), kind: z.enum(['file', 'text', 'license_key']), label: z.string(), content: z.string().nullable(), status: z.enum(['pending', 'delivered']), sentAt: z.string().nullable() }))
      .openapi({ description: 'Digital goods handed to the buyer; pending while a license-key pool is empty' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Order');

export const CustomerSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    locale: z.string().nullable(),
    createdAt: z.string(),
    identities: z.array(
      z.object({
        channel: z.string(),
        externalUserId: z.string(),
        chatId: z.string().nullable(),
        username: z.string().nullable(),
        locale: z.string().nullable(),
        unreachable: z.boolean(),
      }),
    ),
  })
  .openapi('Customer');
