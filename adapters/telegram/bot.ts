import { Bot, GrammyError, HttpError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { WorkerOptions } from '../../src/jobs/queue.ports.ts';
import { botApiFetch } from './api-fetch.ts';
import { dedupe } from './dedup.ts';
import { addressedToBot } from './groups.ts';
import { inlineComposer } from './inline.composer.ts';
import { groupDealComposer } from './group-deal.composer.ts';
import type { GroupDealService } from '../../src/marketing/group-deal.service.ts';
import { paymentsComposer } from './payments.composer.ts';
import { sellerComposer } from './seller.composer.ts';
import { pacingFor } from './pacing.ts';
import { installSender, productionSender, type SenderOptions } from './sender.ts';
import { shopperComposer } from './shopper.composer.ts';
import { shopRef, type ShopContext, type ShopRef, type TelegramDeps } from './telegram.types.ts';

export interface TelegramBotOptions {
  token: string;
  /** Bot API server; defaults to https://api.telegram.org. No trailing slash. */
  apiRoot?: string | undefined;
  /** Slug of the store this bot serves (DEFAULT_STORE). */
  store: string;
  /** Telegram user ids of the shop staff (from SELLER_IDS). */
  staff: readonly string[];
  /** Known bot identity (tests); otherwise getMe is called once at start. */
  botInfo?: UserFromGetMe | undefined;
  sender?: Partial<SenderOptions> | undefined;
  /** Webhook inbox worker settings (tests, benchmarks); production uses the defaults. */
  inbox?: Partial<WorkerOptions> | undefined;
  /** Group buying (/groupbuy, Join and Leave buttons); off when absent. */
  groupDeals?: GroupDealService | undefined;
}

/** The update kinds the bot asks Telegram for (polling and webhook alike). */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query'] as const;

/** ALLOWED_UPDATES, plus pre-checkout queries when native invoices are on. */
export function allowedUpdates(deps: Pick<TelegramDeps, 'telegramPay'>): ('message' | 'callback_query' | 'inline_query' | 'pre_checkout_query')[] {
  return deps.telegramPay ? [...ALLOWED_UPDATES, 'pre_checkout_query'] : [...ALLOWED_UPDATES];
}

export interface TelegramBot {
  bot: Bot<ShopContext>;
  shop: ShopRef;
  /** Closes the bot's kept-alive connections to the Bot API (after the bot stopped). */
  closeHttp(): Promise<void>;
}

/**
 * Builds the bot from config: the rate-aware sender on every API call, then
 * de-duplication by update_id, the group filter, and one Composer per feature
 * (seller, inline, shopper) under one error boundary.
 */
export function createTelegramBot(deps: TelegramDeps, opts: TelegramBotOptions): TelegramBot {
  const http = botApiFetch();
  const bot = new Bot<ShopContext>(opts.token, {
    client: { fetch: http.fetch, ...(opts.apiRoot && { apiRoot: opts.apiRoot.replace(/\/+$/, '') }) },
    ...(opts.botInfo && { botInfo: opts.botInfo }),
  });
  const shop = shopRef(deps.catalog, opts.store);
  const sender = { ...productionSender, ...opts.sender };
  // Budgets are per bot token: every instance serving this bot shares them (with REDIS_URL).
  const pacing = sender.pacing ? pacingFor(sender.pacing, `telegram:${opts.token.split(':')[0] ?? ''}`, deps.sharedPacing, deps.log) : null;
  installSender(
    bot.api,
    sender,
    async (userId) => {
      const store = await shop.get();
      await deps.customers.markUnreachable(store.id, 'telegram', userId, deps.clock.now());
    },
    deps.log,
    pacing,
  );

  bot.use(dedupe(deps.processedEvents, deps.log));
  bot.use(addressedToBot);
  if (deps.telegramPay) bot.use(paymentsComposer(deps, shop, deps.telegramPay));
  if (opts.groupDeals) bot.use(groupDealComposer(deps, shop, new Set(opts.staff), opts.groupDeals));
  bot.use(sellerComposer(deps, shop, new Set(opts.staff)));
  bot.use(inlineComposer(deps, shop));
  bot.use(shopperComposer(deps, shop));

  bot.catch((e) => {
    const err = e.error;
    const detail = err instanceof GrammyError ? { method: err.method, code: err.error_code, description: err.description } : err instanceof HttpError ? { http: err.message } : {};
    deps.log.error({ err, update: e.ctx.update.update_id, ...detail }, 'telegram update failed');
  });
  return { bot, shop, closeHttp: () => http.close() };
}
