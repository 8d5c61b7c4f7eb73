import type { Context } from 'grammy';
import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import type { ConversationInput, Reply } from '../../src/conversation/conversation.types.ts';
import type { JobStore } from '../../src/jobs/queue.ports.ts';
import type { AttributionLog } from '../../src/shared/attribution.ts';
import type { SharedPacingFactory } from '../../src/shared/pacing.ts';
import type { LinkSigner } from './signed-link.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { OrderService } from '../../src/orders/orders.service.ts';
import type { RefundService } from '../../src/payments/refund.service.ts';
import type { SalesReportService } from '../../src/analytics/sales-report.ts';
import type { BroadcastService } from '../../src/marketing/broadcast.service.ts';
import type { CampaignService } from '../../src/marketing/campaign.service.ts';
import type { PromotionService } from '../../src/promotions/promotions.service.ts';
import type { TelegramPayService } from '../../src/payments/telegram-pay.service.ts';
import type { SearchService } from '../../src/search/search.service.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { ProcessedEvents } from '../../src/shared/processed-events.ts';
import type { Clock } from '../../src/shared/time.ts';

/** What the Telegram channel needs from the core; the container provides it. */
export interface TelegramDeps {
  engine: { handle(input: ConversationInput): Promise<Reply[]> };
  catalog: CatalogService;
  search: SearchService;
  orders: OrderService;
  /** Seller refunds (full, from the order's buttons). */
  refunds: Pick<RefundService, 'refund'>;
  /** /stats. */
  salesReport: Pick<SalesReportService, 'report'>;
  /** /promo, /promos. */
  promotions?: PromotionService | undefined;
  /** /broadcast, /broadcasts. */
  broadcasts?: BroadcastService | undefined;
  /** /campaign: promotion + segment + announcement, confirmed together. */
  campaigns?: CampaignService | undefined;
  customers: CustomerService;
  processedEvents: ProcessedEvents;
  /** The durable job queue: the webhook inbox. */
  jobs: JobStore;
  /** Signs and checks campaign/referral deep links; null when no secret is configured. */
  links: LinkSigner | null;
  /** Where the credit of a verified campaign or referral link is recorded. */
  attribution: AttributionLog;
  /** Native invoices (TELEGRAM_PAYMENT_PROVIDER_TOKEN); absent or null: the link payment step. */
  telegramPay?: TelegramPayService | null | undefined;
  /** Pacing budgets shared by all instances (REDIS_URL); absent or null: paced in this process. */
  sharedPacing?: SharedPacingFactory | null | undefined;
  clock: Clock;
  log: Logger;
}

/** Per-update state, set by the de-duplication middleware. */
export interface TurnFlags {
  /** True once the update had an effect (the engine ran, or a message went out). */
  committed: boolean;
}

export type ShopContext = Context & { turn: TurnFlags };

/** The store this bot serves, its id cached after the first lookup. */
export interface ShopRef {
  slug: string;
  get(): Promise<StoreRecord>;
}

export function shopRef(catalog: CatalogService, slug: string): ShopRef {
  let cached: StoreRecord | undefined;
  return {
    slug,
    async get() {
      cached ??= await catalog.store(slug);
      return cached;
    },
  };
}
