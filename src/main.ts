import { existsSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { seedDemoStore } from './catalog/demo-store.ts';
import { ConfigError, loadConfig, type Config } from './config/env.ts';
import { startTelegram, telegramDeps, TelegramOrderNotifier, type TelegramChannel } from '../adapters/telegram/index.ts';
import { TelegramGroupDealNotifier } from '../adapters/telegram/group-deal-notifier.ts';
import { DiscordGroupDealNotifier } from '../adapters/discord/group-deal-notifier.ts';
import { createDiscordRest, DiscordOrderNotifier, startDiscordGateway, type DiscordGateway } from '../adapters/discord/index.ts';
import { TelegramStaffNotifier } from '../adapters/telegram/staff-notifier.ts';
import { DiscordStaffNotifier } from '../adapters/discord/staff-notifier.ts';
import { createContainer } from './container.ts';
import { createApp } from './http/app.ts';
import { JobRunner } from './jobs/job-runner.ts';
import { TelegramMarketingSender } from '../adapters/telegram/marketing-sender.ts';
import { TelegramReferrerNotifier } from '../adapters/telegram/referral-notifier.ts';
import { DiscordMarketingSender } from '../adapters/discord/marketing-sender.ts';
import type { MarketingSender } from './marketing/broadcast.ports.ts';
import { resolveLocale, translator } from './conversation/i18n/i18n.ts';
import { createLogger, type Logger } from './shared/logger.ts';

/** Which integrations are on, and why the others are off. */
function integrations(c: Config): Record<string, string> {
  return {
    database: c.databaseProvider === 'sqlite' ? `sqlite (embedded, ${c.DATABASE_URL.slice(5)})` : 'postgresql',
    redis: c.REDIS_URL
      ? 'on (Telegram send budgets shared by all instances; broadcasts and automations through BullMQ, one queue and one marketing send window per bot, automations run by one instance a minute)'
      : 'off, set REDIS_URL to share Telegram send budgets and the broadcast queue (BullMQ) across instances',
    telegram: !c.TELEGRAM_BOT_TOKEN
      ? 'off, set TELEGRAM_BOT_TOKEN'
      : c.TELEGRAM_MODE === 'webhook'
        ? `on (webhook at ${c.publicUrl}/webhooks/telegram)`
        : 'on (long polling)',
    discord: !c.DISCORD_PUBLIC_KEY
      ? 'off, set DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY'
      : `on (interactions at ${c.publicUrl}/webhooks/discord${c.DISCORD_GATEWAY ? '; gateway for DMs and mentions' : ''}${c.DISCORD_TOKEN ? '; order updates by DM' : '; set DISCORD_TOKEN for order updates by DM'}); npm run discord:register registers the commands`,
    payments: c.STRIPE_SECRET_KEY
      ? `stripe (Checkout Sessions; webhook at ${c.publicUrl}/webhooks/stripe)`
      : `demo provider, no money moves (${c.publicUrl}/pay/demo/<order>); set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET for Stripe`,
    language_model: c.OPENAI_API_KEY
      ? `on (${c.OPENAI_MODEL} with tools; the local parser answers past ${c.OPENAI_TIMEOUT_MS} ms or on errors; semantic search with ${c.OPENAI_EMBEDDING_MODEL}, embedded every minute)`
      : 'off, set OPENAI_API_KEY (the local intent parser and full-text search are used)',
  };
}

async function main(log: Logger, config: Config) {
  // Order updates reach Telegram buyers once the bot is up (linked in startTelegram).
  const telegramNotifier = new TelegramOrderNotifier();
  const discordNotifier = new DiscordOrderNotifier();
  // Staff hear of paid orders, return requests and license keys owed (store settings, else STAFF_NOTIFY).
  const telegramStaff = new TelegramStaffNotifier();
  const discordStaff = new DiscordStaffNotifier();
  const referrers = new TelegramReferrerNotifier();
  const container = await createContainer(config, log, { notifier: [telegramNotifier, discordNotifier, telegramStaff, discordStaff], referrerNotifier: referrers });
  const { services } = container;
  if (config.SEED_DEMO) {
    const seeded = await seedDemoStore(services.catalog);
    if (seeded.created) log.info({ products: seeded.products }, 'demo store "demo" seeded');
  }
  const bootstrapKey = await services.auth.bootstrapKey();
  if (bootstrapKey) {
    // Printed once, to the terminal only (not to the structured log).
    process.stdout.write(
      `\nNo ADMIN_TOKEN is set, so an admin API key was created. It is shown only now:\n\n  ${bootstrapKey}\n\nUse it as "Authorization: Bearer <key>".\n\n`,
    );
  }

  const app = createApp(container);
  // A refused token stops start-up here with a clear message.
  // Group deals are posted, counted and closed in the chats of the channels that are on.
  const groupDealNotifier = new TelegramGroupDealNotifier();
  services.groupDeals.addNotifier(groupDealNotifier);
  const telegram: TelegramChannel | null = config.TELEGRAM_BOT_TOKEN ? await startTelegram(container, telegramNotifier, { groupDeals: services.groupDeals }) : null;
  if (telegram) groupDealNotifier.attach({ api: telegram.bot.api, deps: telegramDeps(container), shop: telegram.shop });
  if (config.DISCORD_TOKEN) {
    const discordDeals = new DiscordGroupDealNotifier();
    discordDeals.attach({ rest: createDiscordRest({ apiRoot: config.DISCORD_API_ROOT, token: config.DISCORD_TOKEN }), customers: services.customers, locale: (await services.catalog.store(config.DEFAULT_STORE).catch(() => null))?.locale ?? 'en', log });
    services.groupDeals.addNotifier(discordDeals);
  }
  if (telegram?.routes) app.route('/', telegram.routes);
  // Discord interactions arrive at POST /webhooks/discord (see createApp); order updates go by DM with the bot token.
  if (config.DISCORD_TOKEN) discordNotifier.attach({ rest: createDiscordRest({ apiRoot: config.DISCORD_API_ROOT, token: config.DISCORD_TOKEN }), customers: services.customers, log });
  if (telegram) telegramStaff.attach({ api: telegram.bot.api, catalog: services.catalog, customers: services.customers, defaultChatId: config.STAFF_NOTIFY.telegram, log });
  if (config.DISCORD_TOKEN) {
    const rest = createDiscordRest({ apiRoot: config.DISCORD_API_ROOT, token: config.DISCORD_TOKEN });
    discordStaff.attach({ rest, catalog: services.catalog, customers: services.customers, defaultChannelId: config.STAFF_NOTIFY.discord, log });
  }
  const discord: DiscordGateway | null = config.DISCORD_GATEWAY ? await startDiscordGateway(container) : null;
  // Broadcasts go out through the channels that are on, in the store's language for the buttons.
  const buttonsIn = translator(resolveLocale(null, (await services.catalog.store(config.DEFAULT_STORE).catch(() => null))?.locale ?? 'en'));
  const senders: MarketingSender[] = [
    ...(telegram ? [new TelegramMarketingSender(telegram.bot.api, buttonsIn)] : []),
    ...(config.DISCORD_TOKEN ? [new DiscordMarketingSender(createDiscordRest({ apiRoot: config.DISCORD_API_ROOT, token: config.DISCORD_TOKEN }), buttonsIn)] : []),
  ];
  const runner = container.broadcastRunner(senders);
  const automations = container.automationRunner(senders);
  if (telegram) referrers.attach({ api: telegram.bot.api, t: buttonsIn, log });
  const jobs = new JobRunner(log);
  const automationJob = { name: 'automations', everyMs: 60_000, run: () => automations.tick() };
  // With REDIS_URL the automations run once a minute on one instance (a BullMQ job scheduler); without, in this process.
  const sharedJobs = container.sharedJobs();
  // A tick sends for up to 5 s on a schedule kept across ticks (BullMQ: feeds the queue); starting the next one soon after keeps the rate.
  jobs.start([...container.jobs, { name: 'broadcasts', everyMs: 250, run: () => runner.tick() }, ...(sharedJobs ? [] : [automationJob])]);
  // Not awaited: while Redis is unreachable BullMQ waits for it, and HTTP and the channels serve meanwhile.
  sharedJobs?.start([automationJob]).catch((err: unknown) => log.error({ err }, 'could not schedule the shared jobs'));
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    log.info({ port: info.port, url: config.publicUrl, docs: `${config.publicUrl}/docs` }, 'chatshop is up');
    for (const [name, state] of Object.entries(integrations(config))) log.info(`${name}: ${state}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining: no new requests, finishing those in flight');
    const force = setTimeout(() => {
      log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    force.unref();
    server.close(() => {
      void (async () => {
        await telegram?.stop();
        await discord?.stop();
        await jobs.stop();
        await sharedJobs?.stop();
        await container.close();
        log.info('stopped cleanly');
        process.exit(0);
      })();
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

let config: Config;
try {
  // A local .env is read if present; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\nSee .env.example for every key.\n`);
    process.exit(1);
  }
  throw err;
}
const log = createLogger(config.LOG_LEVEL);
main(log, config).catch((err: unknown) => {
  log.fatal({ err }, 'start-up failed');
  process.exit(1);
});
