export { createTelegramBot, ALLOWED_UPDATES, type TelegramBotOptions } from './bot.ts';
export { startTelegram, telegramDeps, telegramOptions, type TelegramChannel } from './channel.ts';
export { TelegramOrderNotifier } from './notifier.ts';
export { telegramWebhookRoutes, WEBHOOK_PATH } from './webhook.ts';
