import { createRoute, z } from '@hono/zod-openapi';
import { router, type RouteDeps } from '../context.ts';
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
    ...errorResponses(400, 404),
  },
});

export function chatRoutes({ services }: RouteDeps) {
  const app = router();
  app.openapi(route, async (c) => {
    const { store } = c.req.valid('param');
    const body = c.req.valid('json');
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
