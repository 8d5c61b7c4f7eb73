import { webhookCallback, type Bot } from 'grammy';
import { Hono } from 'hono';
import type { ShopContext } from './telegram.types.ts';

export const WEBHOOK_PATH = '/webhooks/telegram';

/**
 * POST /webhooks/telegram: grammY checks X-Telegram-Bot-Api-Secret-Token
 * (constant time; wrong or missing → 401, nothing handled) and answers once
 * the update is handled. Past 8 s the request is answered anyway and the
 * handling finishes in the background, so Telegram never times out and
 * redelivers a slow update (the update_id claim would skip it regardless).
 */
export function telegramWebhookRoutes(bot: Bot<ShopContext>, secretToken: string): Hono {
  if (!secretToken) throw new Error('TELEGRAM_WEBHOOK_SECRET is required for the Telegram webhook');
  const app = new Hono();
  app.post(WEBHOOK_PATH, webhookCallback(bot, 'hono', { secretToken, onTimeout: 'return', timeoutMilliseconds: 8000 }));
  return app;
}
