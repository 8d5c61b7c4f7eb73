import type { Context, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { router, type AppEnv, type RouteDeps } from './context.ts';
import { errorBody, onError } from './errors.ts';
import { apiKeyRoutes } from './routes/api-key.routes.ts';
import { cartRoutes } from './routes/cart.routes.ts';
import { chatRoutes } from './routes/chat.routes.ts';
import { promotionRoutes } from './routes/promotion.routes.ts';
import { privacyRoutes } from './routes/privacy.routes.ts';
import { broadcastRoutes } from './routes/broadcast.routes.ts';
import { groupDealRoutes } from './routes/group-deal.routes.ts';
import { customerRoutes } from './routes/customer.routes.ts';
import { docsRoutes } from './routes/docs.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { importRoutes } from './routes/import.routes.ts';
import { orderRoutes } from './routes/order.routes.ts';
import { paymentRoutes } from './routes/payment.routes.ts';
import { productRoutes } from './routes/product.routes.ts';
import { recommendationRoutes } from './routes/recommendation.routes.ts';
import { reviewRoutes } from './routes/review.routes.ts';
import { statsRoutes } from './routes/stats.routes.ts';
import { storeRoutes } from './routes/store.routes.ts';
import { webChatRoutes } from './routes/web-chat.routes.ts';
import { discordWebhookRoutes } from '../../adapters/discord/webhook.ts';

/** Bodies above this are refused with 413 (the import route allows more). */
const BODY_LIMIT = 1024 * 1024;
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

export function createApp(deps: RouteDeps) {
  const app = router();
  const log = deps.log;

  app.use(secureHeaders({ contentSecurityPolicy: undefined }));
  app.use(requestId());
  app.use(async (c, next) => {
    const start = performance.now();
    await next();
    log.info(
      { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - start) },
      'request',
    );
  });
  const limitTo = (maxSize: number) => {
    const tooLarge = (ctx: Context) => ctx.json(errorBody('PAYLOAD_TOO_LARGE', `The body is larger than ${Math.round(maxSize / 1024)} KiB`), 413);
    // A streamed body (no Content-Length) is counted as it is read.
    const counted = bodyLimit({ maxSize, onError: tooLarge });
    // A declared length is checked from the header alone (Node's parser reads exactly that many bytes):
    // hono's bodyLimit looks at the body first, which builds a full Request per request on the Node
    // server (~5% of a Telegram update's CPU) where the route would have read the body directly.
    return async (c: Context<AppEnv, string>, next: Next) => {
      const length = c.req.header('content-length');
      if (length !== undefined && /^\d+$/.test(length) && c.req.header('transfer-encoding') === undefined) return Number(length) > maxSize ? tooLarge(c) : next();
      return c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : counted(c, next);
    };
  };
  const defaultLimit = limitTo(BODY_LIMIT);
  const importLimit = limitTo(IMPORT_BODY_LIMIT);
  app.use('*', (c: Context<AppEnv, string>, next: Next) => (c.req.path.endsWith('/products/import') ? importLimit : defaultLimit)(c, next));

  for (const routes of [healthRoutes, storeRoutes, productRoutes, importRoutes, cartRoutes, orderRoutes, customerRoutes, apiKeyRoutes, recommendationRoutes, reviewRoutes, statsRoutes, promotionRoutes, privacyRoutes, broadcastRoutes, groupDealRoutes]) {
    app.route('/', routes(deps));
  }
  app.route('/', chatRoutes(deps));
  app.route('/', paymentRoutes(deps));
  app.route('/', discordWebhookRoutes(deps));
  app.route('/', docsRoutes());
  app.route('/', webChatRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'ADMIN_TOKEN or an API key (csk_…)',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'chatshop API',
      version: '1',
      description:
        'Commerce core of chatshop. Money is { amount, currency } in minor units. Errors are { error: { code, message } } with a 4xx status.',
    },
  });

  app.notFound((c) => c.json(errorBody('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(onError(log));
  return app;
}

export type App = ReturnType<typeof createApp>;
export type { AppEnv };
