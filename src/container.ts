import { AnalyticsService } from './analytics/analytics.service.ts';
import { SalesReportService } from './analytics/sales-report.ts';
import { AuthService } from './auth/auth.service.ts';
import { CartService } from './cart/cart.service.ts';
import { CatalogService } from './catalog/catalog.service.ts';
import { CatalogImportService } from './catalog/import/import.service.ts';
import { CheckoutService } from './checkout/checkout.service.ts';
import { ShippingAdjuster } from './checkout/shipping-adjuster.ts';
import { TaxAdjuster } from './checkout/tax-adjuster.ts';
import type { Config } from './config/env.ts';
import { ModelAssistant } from './conversation/assistant/model-assistant.ts';
import { ConversationEngine } from './conversation/engine.ts';
import type { EngineDeps } from './conversation/engine.ports.ts';
import { CustomerService } from './customers/customers.service.ts';
import { createDb, type Db } from './infra/db/client.ts';
import { applyMigrations } from './infra/db/migrate.ts';
import { createOpenAi, EMBED_EVERY_MS } from './infra/openai/create-openai.ts';
import { createPayments } from './infra/payments/create-payments.ts';
import { PrismaAnalyticsRepository } from './infra/prisma/analytics.repository.ts';
import { PrismaApiKeyRepository } from './infra/prisma/api-key.repository.ts';
import { PrismaCartRepository } from './infra/prisma/cart.repository.ts';
import { PrismaCatalogImportRepository } from './infra/prisma/catalog-import.repository.ts';
import { PrismaCategoryRepository } from './infra/prisma/category.repository.ts';
import { PrismaCheckoutRepository } from './infra/prisma/checkout.repository.ts';
import { PrismaConversationStateStore } from './infra/prisma/conversation-state.repository.ts';
import { PrismaCustomerRepository } from './infra/prisma/customer.repository.ts';
import { PrismaOrderRepository } from './infra/prisma/order.repository.ts';
import { PrismaProcessedEvents } from './infra/prisma/processed-events.repository.ts';
import { PrismaJobStore } from './infra/jobs/prisma-job-store.ts';
import { DONE_JOBS_KEPT_MS } from './jobs/queue.ports.ts';
import { PROCESSED_EVENTS_KEPT_MS } from './shared/processed-events.ts';
import { PrismaAttributionLog } from './infra/prisma/attribution.repository.ts';
import { createRedis, whenReady } from './infra/redis/redis-client.ts';
import { redisPacing } from './infra/redis/redis-pacing.ts';
import { redisRateLimiters } from './infra/redis/redis-limiter.ts';
import { localRateLimiters } from './http/rate-limit.ts';
import { BullmqBroadcastRunner } from './infra/bullmq/bullmq-broadcast-runner.ts';
import { BullmqJobScheduler } from './infra/bullmq/bullmq-job-scheduler.ts';
import { bullmqConnection } from './infra/bullmq/bullmq-connection.ts';
import { SharedSendWindow } from './infra/bullmq/send-window.ts';
import { PrismaProductRepository } from './infra/prisma/product.repository.ts';
import { createProductSearch } from './infra/search/create-product-search.ts';
import { PrismaRecommendationRepository } from './infra/prisma/recommendations.repository.ts';
import { PrismaSalesReportRepository } from './infra/prisma/sales-report.repository.ts';
import { PrismaStoreRepository } from './infra/prisma/store.repository.ts';
import type { Job } from './jobs/job-runner.ts';
import type { OrderNotifier } from './orders/orders.ports.ts';
import { CompositeOrderNotifier } from './orders/composite-notifier.ts';
import { PromotionService } from './promotions/promotions.service.ts';
import { PromotionAdjuster } from './promotions/promotion-adjuster.ts';
import { PromotionRelease } from './promotions/promotion-release.ts';
import { ReferralRewards } from './marketing/referral.service.ts';
import type { ReferrerNotifier } from './marketing/referral.ports.ts';
import { PrismaReferralRepository } from './infra/prisma/referral.repository.ts';
import { ConsentService } from './marketing/consent.service.ts';
import { BroadcastService, type ProductCard } from './marketing/broadcast.service.ts';
import { BroadcastRunner } from './marketing/broadcast-runner.ts';
import { PrismaBroadcastResults } from './infra/prisma/broadcast-results.repository.ts';
import { AutomationRunner, type AutomationRunnerOptions } from './marketing/automation-runner.ts';
import { AutomationSettingsService } from './marketing/automation-settings.service.ts';
import type { ProductLookup } from './marketing/automation.ports.ts';
import { StockAlertService } from './marketing/automations/stock-alerts.ts';
import { PrismaAutomationRepository } from './infra/prisma/automation.repository.ts';
import { PrismaAutomationTriggers } from './infra/prisma/automation-triggers.ts';
import { availableOf } from './catalog/catalog.types.ts';
import type { MarketingSender } from './marketing/broadcast.ports.ts';
import { formatMoney } from './shared/money.ts';
import { PrismaBroadcastRepository } from './infra/prisma/broadcast.repository.ts';
import { GroupDealService } from './marketing/group-deal.service.ts';
import { GroupDealCloser } from './marketing/group-deal-closer.ts';
import { dealItemLookup } from './marketing/group-deal-items.ts';
import { PrismaGroupDealRepository } from './infra/prisma/group-deal.repository.ts';
import { PrismaAudience } from './infra/prisma/audience.repository.ts';
import { CampaignService } from './marketing/campaign.service.ts';
import { campaignCatalog } from './marketing/campaign-catalog.ts';
import { createCampaignPlanner } from './infra/openai/campaign-planner.ts';
import { PrivacyService } from './customers/privacy.service.ts';
import { PrismaConsentRepository } from './infra/prisma/consent.repository.ts';
import { PrismaPersonalDataRepository } from './infra/prisma/personal-data.repository.ts';
import { PrismaReviewRepository } from './infra/prisma/review.repository.ts';
import { ReviewService } from './reviews/reviews.service.ts';
import { PrismaPromotionRepository } from './infra/prisma/promotion.repository.ts';
import { LogOrderNotifier } from './orders/log-notifier.ts';
import { OrderService } from './orders/orders.service.ts';
import { DigitalDeliveryService } from './orders/digital-delivery.service.ts';
import { DeliverableService } from './catalog/deliverable.service.ts';
import { PrismaDigitalDeliveryRepository } from './infra/prisma/digital-delivery.repository.ts';
import { PrismaDeliverableRepository } from './infra/prisma/deliverable.repository.ts';
import { RecommendationService } from './recommendations/recommendations.service.ts';
import { SearchService } from './search/search.service.ts';
import type { Logger } from './shared/logger.ts';
import { systemClock, type Clock } from './shared/time.ts';

export interface ContainerOptions {
  /** PostgreSQL schema to use (tests run one per file). */
  schema?: string | undefined;
  clock?: Clock | undefined;
  notifier?: OrderNotifier | readonly OrderNotifier[] | undefined;
  /** Tells referrers about their rewards (Telegram, linked once the bot runs). */
  referrerNotifier?: ReferrerNotifier | undefined;
  /** Apply pending migrations first (default true). */
  migrate?: boolean | undefined;
  /** Prefix of the Redis keys of the BullMQ queues and shared send windows (default "chatshop"; tests use one each). */
  redisPrefix?: string | undefined;
}

export type Container = Awaited<ReturnType<typeof createContainer>>;

/** The composition root: builds infra from validated config and wires the services. */
export async function createContainer(config: Config, log: Logger, opts: ContainerOptions = {}) {
  if (opts.migrate !== false) {
    const { applied } = await applyMigrations({ url: config.DATABASE_URL, schema: opts.schema, log: (m) => log.info(m) });
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  const db: Db = createDb({ url: config.DATABASE_URL, schema: opts.schema, sqliteSynchronous: config.SQLITE_SYNCHRONOUS });
  const clock = opts.clock ?? systemClock;

  const stores = new PrismaStoreRepository(db);
  const categories = new PrismaCategoryRepository(db);
  const products = new PrismaProductRepository(db);
  const catalog = new CatalogService({ stores, categories, products, inventory: products });
  // Language model and semantic re-ranking: only with OPENAI_API_KEY (null otherwise).
  const openai = createOpenAi(config, db, log);
  const search = new SearchService(createProductSearch(db, config.DATABASE_URL), categories, openai?.reranker);
  // Shipping then tax (tax is charged on shipping too), from the store's settings.
  const pricing = (storeId: string) => catalog.storeById(storeId);
  const promotions = new PromotionService(new PrismaPromotionRepository(db), clock, async (storeId, slug) => {
    const category = (await catalog.listCategories(storeId)).find((c) => c.slug === slug);
    if (category) return { kind: 'category', id: category.id };
    const product = await catalog.product(storeId, slug, { includeHidden: true }).catch(() => null);
    return product ? { kind: 'product', id: product.id } : null;
  }, (storeId) => catalog.listCategories(storeId));
  const promotionAdjuster = new PromotionAdjuster(promotions);
  const referralRewards = new ReferralRewards(new PrismaReferralRepository(db), promotions, (id) => catalog.storeById(id), opts.referrerNotifier ?? { rewarded: () => Promise.resolve() }, clock, log, {
    reward: config.REFERRAL_REWARD,
  });
  const carts = new CartService(new PrismaCartRepository(db), products, [promotionAdjuster, new ShippingAdjuster(pricing), new TaxAdjuster(pricing)], promotionAdjuster);
  // Every change is logged, and announced by the channel notifier passed in (Telegram, …).
  const notifier = new CompositeOrderNotifier([new LogOrderNotifier(log), new PromotionRelease(new PrismaCheckoutRepository(db)), referralRewards, ...[opts.notifier ?? []].flat()], log);
  const orderRepo = new PrismaOrderRepository(db);
  // Digital goods are handed over once an order is paid; cancelling a paid order refunds it first (payments, below).
  const digital = new DigitalDeliveryService(new PrismaDigitalDeliveryRepository(db), orderRepo, notifier, clock, log);
  const orders = new OrderService(orderRepo, notifier, clock, log, {
    fulfilment: digital,
    refunds: { refundForCancel: (o, a) => payments.refunds.refundForCancel(o, a), recordRefundWithoutCancel: (o, a) => payments.refunds.recordRefundWithoutCancel(o, a) },
  });
  // Paid orders are recorded in analytics (built below; only called once events arrive).
  const payments = createPayments({ config, db, orders, clock, log, analytics: { record: (e) => analytics.record(e) } });
  const checkout = new CheckoutService(new PrismaCheckoutRepository(db), carts, orders, payments.provider, clock, log);
  const customers = new CustomerService(new PrismaCustomerRepository(db));
  // Group buying: joiners get orders at the group price through the checkout repository when a deal closes.
  const groupDealRepo = new PrismaGroupDealRepository(db);
  const groupDealCloser = new GroupDealCloser({ deals: groupDealRepo, checkout: new PrismaCheckoutRepository(db), carts: new PrismaCartRepository(db), payments: payments.provider, store: (id) => catalog.storeById(id), clock, log });
  const groupDeals = new GroupDealService(groupDealRepo, dealItemLookup(catalog, products), groupDealCloser, clock, log);
  const auth = new AuthService(new PrismaApiKeyRepository(db), config.ADMIN_TOKEN, clock);
  const importer = new CatalogImportService(new PrismaCatalogImportRepository(db));
  const analytics = new AnalyticsService(new PrismaAnalyticsRepository(db), clock, log);
  const recommendations = new RecommendationService(new PrismaRecommendationRepository(db), clock);
  const salesReport = new SalesReportService(new PrismaSalesReportRepository(db), analytics, clock);
  const consent = new ConsentService(new PrismaConsentRepository(db), clock);
  const broadcastRepo = new PrismaBroadcastRepository(db);
  const audience = new PrismaAudience(db, () => clock.now());
  const productCard: ProductCard = async (storeId, productId) => {
    const p = await catalog.product(storeId, productId).catch(() => null);
    return p ? { id: p.id, title: p.title, price: formatMoney({ amount: p.minPrice, currency: p.currency }) } : null;
  };
  // REDIS_URL: broadcasts go through BullMQ (one queue and one send window per bot, shared by every instance); built here for the runners below.
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, log) : null;
  // Shared limits count from the first request on; an unreachable Redis does not hold the start up for long.
  if (redis) await whenReady(redis, 2000);
  const redisPrefix = opts.redisPrefix ?? 'chatshop';
  const sendWindow = redis ? new SharedSendWindow(redis, log, { prefix: `${redisPrefix}:sends` }) : null;
  const bullmqRunners: BullmqBroadcastRunner[] = [];
  const broadcastResults = new PrismaBroadcastResults(db);
  const broadcasts = new BroadcastService(broadcastRepo, audience, clock, productCard, broadcastResults);
  // Campaigns: promotion + segment + announcement, confirmed together; from a sentence with OPENAI_API_KEY.
  const campaigns = new CampaignService({
    promotions,
    broadcasts,
    audience,
    catalog: campaignCatalog(catalog, search),
    planner: createCampaignPlanner(config),
    clock,
    log,
    timeZone: config.MARKETING_TIME_ZONE,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
  });
  /** The broadcast delivery job, given the channels that can send (main.ts passes the started ones). */
  const broadcastRules = {
    quietHours: config.MARKETING_QUIET_HOURS,
    timeZone: config.MARKETING_TIME_ZONE,
    frequencyCap: config.MARKETING_MAX_PER_DAY > 0 ? { max: config.MARKETING_MAX_PER_DAY, perHours: 24 } : null,
  };
  const broadcastRunner = (senders: readonly MarketingSender[]): BroadcastRunner | BullmqBroadcastRunner => {
    if (!config.REDIS_URL || !sendWindow) return new BroadcastRunner(broadcastRepo, audience, senders, (ref) => broadcasts.message(ref), clock, log, { rules: broadcastRules });
    const runner = new BullmqBroadcastRunner(broadcastRepo, audience, senders.map((s) => sendWindow.wrap(s)), (ref) => broadcasts.message(ref), clock, log, {
      rules: broadcastRules,
      connection: bullmqConnection(config.REDIS_URL),
      prefix: `${redisPrefix}:bull`,
    });
    bullmqRunners.push(runner);
    return runner;
  };
  // Marketing automations (abandoned cart, back in stock, price drop, review request), switched per store.
  const automationRepo = new PrismaAutomationRepository(db, () => clock.now());
  const automationTriggers = new PrismaAutomationTriggers(db);
  const productInfo: ProductLookup = async (storeId, productId) => {
    const p = await catalog.product(storeId, productId).catch(() => null);
    if (!p) return null;
    const label = (v: (typeof p.variants)[number]) => Object.keys(v.options).sort().map((k) => v.options[k]).join(' / ') || v.title;
    return { id: p.id, title: p.title, minPrice: p.minPrice, currency: p.currency, variants: p.variants.map((v) => ({ id: v.id, label: label(v), price: v.price, available: availableOf(v) })) };
  };
  const automationSettings = new AutomationSettingsService(automationRepo);
  const stockAlerts = new StockAlertService(automationTriggers, automationRepo, productInfo, clock);
  /** The automations job, given the channels that can send (main.ts passes the started ones). */
  const automationRunner = (senders: readonly MarketingSender[], overrides: Partial<AutomationRunnerOptions> = {}) =>
    // With REDIS_URL its sends book the same per-bot window as broadcasts, which is then their only pacing (its claims already keep two instances from sending one message twice).
    new AutomationRunner({ repo: automationRepo, triggers: automationTriggers, subjects: automationRepo, audience, productOf: productInfo, clock, log }, sendWindow ? senders.map((s) => sendWindow.wrap(s)) : senders, {
      rules: {
        quietHours: config.MARKETING_QUIET_HOURS,
        timeZone: config.MARKETING_TIME_ZONE,
        frequencyCap: config.MARKETING_MAX_PER_DAY > 0 ? { max: config.MARKETING_MAX_PER_DAY, perHours: 24 } : null,
      },
      ...(sendWindow ? { pace: null } : {}),
      ...overrides,
    });
  /**
   * Periodic jobs that one instance runs per period (the automations): with REDIS_URL, BullMQ job
   * schedulers on the shared Redis; null without (main.ts then runs them in process, on every instance).
   */
  const sharedJobs = (): BullmqJobScheduler | null => (config.REDIS_URL ? new BullmqJobScheduler(log, { connection: bullmqConnection(config.REDIS_URL), prefix: `${redisPrefix}:bull` }) : null);
  const privacy = new PrivacyService(new PrismaPersonalDataRepository(db), log);
  const reviews = new ReviewService(new PrismaReviewRepository(db));
  const engineDeps: EngineDeps = {
    catalog,
    search,
    carts,
    checkout,
    orders,
    customers,
    state: new PrismaConversationStateStore(db),
    events: analytics,
    recommender: recommendations,
    consent,
    stockAlerts,
    offers: broadcastResults,
    sales: (storeId) => promotions.sales(storeId),
    privacy,
    reviews,
    clock,
    log,
  };
  if (openai) engineDeps.assistant = new ModelAssistant(engineDeps, openai.languageModel, log, { timeoutMs: config.OPENAI_TIMEOUT_MS });
  const conversation = new ConversationEngine(engineDeps);

  // The durable job queue (webhook inbox, deliveries); finished jobs are kept a week (see DONE_JOBS_KEPT_MS).
  const jobQueue = new PrismaJobStore(db);
  // Claims of inbound event ids (Discord, Stripe, Telegram polling and payments), kept a month (PROCESSED_EVENTS_KEPT_MS).
  const processedEvents = new PrismaProcessedEvents(db);
  // REDIS_URL (client built above): outbound pacing budgets shared by every instance (in-process otherwise).
  const jobs: Job[] = [
    { name: 'release-lapsed-reservations', everyMs: config.SWEEP_INTERVAL_SECONDS * 1000, run: () => orders.releaseLapsed() },
    { name: 'group-deals', everyMs: 5000, run: () => groupDeals.tick() },
    { name: 'prune-done-jobs', everyMs: 3600_000, run: () => jobQueue.prune(new Date(clock.now().getTime() - DONE_JOBS_KEPT_MS)) },
    { name: 'prune-processed-events', everyMs: 3600_000, run: () => processedEvents.prune(new Date(clock.now().getTime() - PROCESSED_EVENTS_KEPT_MS)) },
    ...(openai ? [{ name: 'embed-products', everyMs: EMBED_EVERY_MS, run: () => openai.indexer.run() }] : []),
  ];

  const health = {
    async database(): Promise<{ ok: boolean; latencyMs: number | null }> {
      const start = performance.now();
      try {
        await db.$queryRaw`SELECT 1`;
        return { ok: true, latencyMs: Math.round((performance.now() - start) * 10) / 10 };
      } catch (err) {
        log.warn({ err }, 'database health check failed');
        return { ok: false, latencyMs: null };
      }
    },
  };

  return {
    config,
    log,
    db,
    clock,
    jobs,
    health,
    services: { catalog, search, carts, checkout, orders, customers, auth, importer, analytics, recommendations, conversation, payments, salesReport, promotions, automations: automationSettings, consent: new ConsentService(new PrismaConsentRepository(db), clock), broadcasts, campaigns, privacy: new PrivacyService(new PrismaPersonalDataRepository(db), log), digital, groupDeals, reviews, deliverables: new DeliverableService(catalog, new PrismaDeliverableRepository(db), (id) => digital.fulfilWaiting(id)) },
    engineDeps,
    broadcastRunner,
    automationRunner,
    sharedJobs,
    processedEvents,
    jobQueue,
    /** Campaign and referral credit from signed deep links. */
    attribution: new PrismaAttributionLog(db),
    sharedPacing: redis ? redisPacing(redis) : null,
    /** Request limits (web chat): shared by instances with REDIS_URL, else per process. */
    rateLimiters: redis ? redisRateLimiters(redis, log, `${redisPrefix}:limits`) : localRateLimiters,
    async close() {
      await Promise.all(bullmqRunners.map((r) => r.close()));
      await analytics.close();
      await db.$disconnect();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
