import type { Context } from 'grammy';
import type { CatalogService } from '../../src/catalog/catalog.service.ts';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import type { ConversationInput, Reply } from '../../src/conversation/conversation.types.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { OrderService } from '../../src/orders/orders.service.ts';
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
  customers: CustomerService;
  processedEvents: ProcessedEvents;
  /** Native invoices (TELEGRAM_PAYMENT_PROVIDER_TOKEN); absent or null: the link payment step. */
  telegramPay?: TelegramPayService | null | undefined;
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
