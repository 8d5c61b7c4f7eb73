import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { isRawUpdate, type TelegramInbox } from './inbox.ts';

export const WEBHOOK_PATH = '/webhooks/telegram';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

function sameSecret(got: string, want: string): boolean {
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * POST /webhooks/telegram: checks X-Telegram-Bot-Api-Secret-Token (constant
 * time; wrong or missing → 401, nothing stored), stores the update in the
 * durable inbox and answers 200 at once — the work happens in the inbox's
 * worker, so Telegram never waits on a slow turn. When the update cannot be
 * stored the answer is 500 and Telegram delivers it again: nothing is lost.
 */
export function telegramWebhookRoutes(inbox: Pick<TelegramInbox, 'accept'>, secretToken: string): Hono {
  if (!secretToken) throw new Error('TELEGRAM_WEBHOOK_SECRET is required for the Telegram webhook');
  const app = new Hono();
  app.post(WEBHOOK_PATH, async (c) => {
    if (!sameSecret(c.req.header(SECRET_HEADER) ?? '', secretToken)) return c.text('secret token is wrong', 401);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'the body is not JSON' }, 400);
    }
    if (!isRawUpdate(body)) return c.json({ error: 'not a Telegram update: update_id (a non-negative integer) is missing' }, 400);
    await inbox.accept(body);
    return c.body(null, 200);
  });
  return app;
}
