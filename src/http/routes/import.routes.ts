import { createRoute, z } from '@hono/zod-openapi';
import type { ImportMode } from '../../catalog/import/import.service.ts';
import { AppError } from '../../shared/errors.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { router, type RouteDeps } from '../context.ts';
import { validationError } from '../errors.ts';
import { errorResponses, NewProductSchema, StoreParam } from '../schemas.ts';

const PATH = '/api/v1/stores/{store}/products/import';

const ImportQuery = z.object({
  mode: z.enum(['atomic', 'partial']).default('atomic').openapi({
    description: 'atomic: any bad row and nothing is imported (422). partial: the good rows are imported and the bad ones reported (200).',
  }),
});

const count3 = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });

const ImportReportSchema = z
  .object({
    mode: z.enum(['atomic', 'partial']),
    committed: z.boolean().openapi({ description: 'Whether the good rows were written' }),
    rows: z.number().int().openapi({ description: 'Data rows read: CSV lines after the header, or JSON variants' }),
    failedRows: z.number().int(),
    products: count3,
    variants: count3,
    categories: z.object({ created: z.number().int() }),
    errors: z.array(
      z.object({
        line: z.number().int().openapi({ description: 'CSV line (header = 1) or 1-based JSON product index; 0 = the body as a whole' }),
        variant: z.number().int().optional().openapi({ description: 'JSON only: 1-based variant index' }),
        sku: z.string().optional(),
        field: z.string().optional(),
        reason: z.string(),
      }),
    ),
    errorsTruncated: z.boolean().openapi({ description: 'More errors than the 1000 listed' }),
  })
  .openapi('ImportReport');

const ImportFailedSchema = ImportReportSchema.extend({
  error: z.object({ code: z.literal('IMPORT_FAILED'), message: z.string() }),
}).openapi('ImportFailed');

const csvDoc =
  'Columns: handle (or slug), title, description, status, category, tags (a|b), images (url|url), sku, variant_title, ' +
  'option1_name, option1_value … option3_value, price (decimal, e.g. 24.90), compare_at_price, weight_grams, stock, currency. ' +
  'One row per variant; rows with the same handle are one product.';

const importRoute = createRoute({
  method: 'post',
  path: PATH,
  tags: ['Catalog admin'],
  summary: 'Import products and variants from CSV or JSON (upsert by slug and SKU)',
  description:
    'Creates or updates products (by slug) and variants (by SKU), creates missing categories, sets stock. ' +
    'Bundles are not importable. Up to 50,000 rows and 20 MiB.',
  security: bearerSecurity,
  request: {
    params: StoreParam,
    query: ImportQuery,
    body: {
      required: true,
      content: {
        'text/csv': { schema: z.string().openapi({ description: csvDoc }) },
        'application/json': {
          schema: z.array(NewProductSchema).openapi({ description: 'Products as POST /products takes them; prices in minor units' }),
        },
      },
    },
  },
  responses: {
    200: { description: 'Imported (partial mode: the good rows)', content: { 'application/json': { schema: ImportReportSchema } } },
    422: {
      description: 'Nothing imported (IMPORT_FAILED), with the report',
      content: { 'application/json': { schema: ImportFailedSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 413, 415),
  },
});

type BodyKind = 'csv' | 'json';

function bodyKind(contentType: string | undefined): BodyKind {
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (essence === 'text/csv' || essence === 'application/csv') return 'csv';
  if (essence === 'application/json') return 'json';
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the catalog as text/csv or application/json');
}

export function importRoutes({ services }: RouteDeps) {
  const { catalog, auth, importer } = services;
  const app = router();
  const admin = requireAdmin(auth, async (slug) => (await catalog.store(slug)).id);

  // Documented with the route above, but validated here: the JSON body is
  // checked product by product by the importer, so that partial mode can
  // import the good ones instead of refusing the whole body.
  app.openAPIRegistry.registerPath(importRoute);
  app.post(PATH.replace('{store}', ':store'), admin, async (c) => {
    const params = StoreParam.safeParse(c.req.param());
    if (!params.success) throw validationError(params.error, 'param');
    const query = ImportQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error, 'query');
    const kind = bodyKind(c.req.header('content-type'));
    const store = await catalog.store(params.data.store);
    const mode: ImportMode = query.data.mode;
    const text = await c.req.text();
    const report =
      kind === 'csv'
        ? await importer.importCsv(store, text, mode)
        : await importer.importJson(store, parseJson(text), mode, (item) => NewProductSchema.safeParse(item));
    if (report.committed) return c.json(report, 200);
    const first = report.errors[0];
    const message =
      first && report.errors.length === 1
        ? `${first.line > 0 ? `${first.variant === undefined ? 'Line' : 'Product'} ${first.line}: ` : ''}${first.reason}; nothing was imported`
        : `${report.failedRows} row(s) could not be imported; nothing was imported`;
    return c.json({ ...report, error: { code: 'IMPORT_FAILED', message } }, 422);
  });

  return app;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body is not valid JSON');
  }
}
