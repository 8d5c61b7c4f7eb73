import { createRoute, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { router, type RouteDeps } from '../context.ts';
import { rateLimited } from '../rate-limit.ts';
import { errorResponses, StoreParam } from '../schemas.ts';

const ButtonSchema = z.union([z.object({ label: z.string(), action: z.string() }), z.object({ label: z.string(), url: z.string() })]).openapi('ChatButton');
const ReplySchema = z
  .object({ type: z.enum(['text', 'image', 'products', 'product', 'cart', 'compare', 'checkout', 'orders']), buttons: z.array(ButtonSchema).optional() })
  .passthrough()
  .openapi('ChatReply', { description: 'One reply; its other fields depend on `type` (see src/conversation/conversation.types.ts).' });

const ChatTurn = z
  .object({
    session: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 characters of A-Z a-z 0-9 _ - (use a random id)'),
    text: z.string().max(2000).optional(),
    action: z.string().max(200).optional(),
    locale: z.string().max(35).optional().openapi({ description: 'BCP 47 language tag, e.g. zh-CN' }),
  })
  .strict()
  .refine((b) => (b.text === undefined) !== (b.action === undefined), { message: 'send exactly one of "text" or "action"' })
  .openapi('ChatTurn');

const route = createRoute({
  method: 'post',
  path: '/api/v1/stores/{store}/chat',
  tags: ['Chat'],
  summary: 'One turn of a shopper conversation (what the web chat and any other widget use)',
  request: { params: StoreParam, body: { required: true, content: { 'application/json': { schema: ChatTurn } } } },
  responses: {
    200: { description: 'What the shop answers', content: { 'application/json': { schema: z.object({ replies: z.array(ReplySchema) }) } } },
    ...errorResponses(400, 404, 429),
  },
});

/** The client's address as the socket sees it (a proxy's, behind one); null outside a real server. */
function addressOf(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

export function chatRoutes({ services, config, rateLimiters }: RouteDeps) {
  const app = router();
  // Turns per session, and new sessions per address: a shopper behind a shared
  // proxy keeps their own budget, while a script rotating session ids is held back.
  // With REDIS_URL the budgets are shared by every instance.
  const turns = rateLimiters('chat-turns', config.CHAT_RATE_LIMIT, 60_000);
  const sessions = rateLimiters('chat-sessions', config.CHAT_RATE_LIMIT * 4, 60_000);
  app.openapi(route, async (c) => {
    const { store } = c.req.valid('param');
    const body = c.req.valid('json');
    const now = Date.now();
    const address = addressOf(c);
    const key = `${store}:${body.session}`;
    if (address && !(await turns.knows(key, now))) {
      const wait = await sessions.hit(address, now);
      if (wait !== null) throw rateLimited(wait);
    }
    const wait = await turns.hit(key, now);
    if (wait !== null) throw rateLimited(wait);
    const replies = await services.conversation.handle({
      store,
      channel: 'web',
      identity: { externalUserId: body.session, locale: body.locale },
      text: body.text,
      action: body.action,
    });
    return c.json({ replies }, 200);
  });
  return app;
}
