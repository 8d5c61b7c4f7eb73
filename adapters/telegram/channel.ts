import { GrammyError } from 'grammy';
import type { Hono } from 'hono';
import type { Config } from '../../src/config/env.ts';
import type { Container } from '../../src/container.ts';
import type { Messages } from '../../src/conversation/i18n/messages.en.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { allowedUpdates, createTelegramBot, type TelegramBot, type TelegramBotOptions } from './bot.ts';
import type { TelegramOrderNotifier } from './notifier.ts';
import type { TelegramDeps } from './telegram.types.ts';
import { TelegramInbox } from './inbox.ts';
import { linkSigner } from './signed-link.ts';
import { telegramWebhookRoutes, WEBHOOK_PATH } from './webhook.ts';

export interface TelegramChannel extends TelegramBot {
  mode: 'polling' | 'webhook';
  /** Mount on the HTTP app in webhook mode. */
  routes: Hono | null;
  /** Webhook mode: the durable inbox updates wait in. */
  inbox?: TelegramInbox;
  stop(): Promise<void>;
}

export function telegramDeps(c: Pick<Container, 'config' | 'services' | 'processedEvents' | 'jobQueue' | 'attribution' | 'sharedPacing' | 'clock' | 'log'>): TelegramDeps {
  const s = c.services;
  return {
    engine: s.conversation,
    catalog: s.catalog,
    search: s.search,
    orders: s.orders,
    refunds: s.payments.refunds,
    salesReport: s.salesReport,
    promotions: s.promotions,
    broadcasts: s.broadcasts,
    campaigns: s.campaigns,
    customers: s.customers,
    processedEvents: c.processedEvents,
    jobs: c.jobQueue,
    links: c.config.linkSecret ? linkSigner(c.config.linkSecret) : null,
    attribution: c.attribution,
    sharedPacing: c.sharedPacing,
    telegramPay: s.payments.telegram,
    clock: c.clock,
    log: c.log,
  };
}

/** Bot options from validated config; SELLER_IDS entries for telegram become staff. */
export function telegramOptions(config: Config): TelegramBotOptions {
  if (!config.TELEGRAM_BOT_TOKEN) throw new Error('TELEGRAM_BOT_TOKEN is not set');
  return {
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    store: config.DEFAULT_STORE,
    staff: config.SELLER_IDS.filter((s) => s.channel === 'telegram').map((s) => s.externalId),
  };
}

const commandList = (m: Messages) => Object.entries(m.botCommands()).map(([command, description]) => ({ command, description }));

/**
 * Starts the Telegram channel: checks the token with one getMe (a clear error
 * when Telegram refuses it), registers the command list, links the order
 * notifier, then long-polls or registers the webhook.
 */
export async function startTelegram(container: Container, notifier: TelegramOrderNotifier | null, overrides: Partial<TelegramBotOptions> = {}): Promise<TelegramChannel> {
  const { config, log } = container;
  const deps = telegramDeps(container);
  const built = createTelegramBot(deps, { ...telegramOptions(config), ...overrides });
  const { bot } = built;
  try {
    await bot.init();
  } catch (err) {
    if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
      throw new Error(`Telegram refused TELEGRAM_BOT_TOKEN (${err.error_code} ${err.description}); check the token from @BotFather`, { cause: err });
    }
    throw err;
  }
  await bot.api.setMyCommands(commandList(translator('en').m));
  await bot.api.setMyCommands(commandList(translator('zh-CN').m), { language_code: 'zh' });
  notifier?.attach({ api: bot.api, customers: deps.customers, shop: built.shop, log });

  if (config.TELEGRAM_MODE === 'webhook') {
    const secret = config.TELEGRAM_WEBHOOK_SECRET ?? '';
    // Updates queued before a restart are handled as soon as the worker starts.
    const inbox = new TelegramInbox(deps.jobs, bot, log, overrides.inbox);
    const routes = telegramWebhookRoutes(inbox, secret);
    inbox.start();
    await bot.api.setWebhook(`${config.publicUrl}${WEBHOOK_PATH}`, { secret_token: secret, allowed_updates: allowedUpdates(deps) });
    log.info({ bot: bot.botInfo.username, url: `${config.publicUrl}${WEBHOOK_PATH}` }, 'telegram webhook registered');
    return { ...built, mode: 'webhook', routes, inbox, stop: () => inbox.stop().finally(() => built.closeHttp()) };
  }

  // Polling handles updates one at a time, in order (grammY's bot.start).
  bot
    .start({ allowed_updates: allowedUpdates(deps), onStart: (me) => log.info({ bot: me.username }, 'telegram polling started') })
    .catch((err: unknown) => log.fatal({ err }, 'telegram polling stopped'));
  return { ...built, mode: 'polling', routes: null, stop: () => bot.stop().finally(() => built.closeHttp()) };
}
