import type { AnalyticsEvent } from '../analytics/analytics.ports.ts';
import type { CartService } from '../cart/cart.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { ProductRecord, StoreRecord } from '../catalog/catalog.types.ts';
import type { CheckoutService } from '../checkout/checkout.service.ts';
import type { CustomerService } from '../customers/customers.service.ts';
import type { PrivacyService } from '../customers/privacy.service.ts';
import type { ConsentService } from '../marketing/consent.service.ts';
import type { PromotionRule } from '../promotions/promotion.types.ts';
import type { BroadcastResultsPort } from '../marketing/broadcast-results.ts';
import type { StockAlertService } from '../marketing/automations/stock-alerts.ts';
import type { OrderService } from '../orders/orders.service.ts';
import type { RatingSummary } from '../reviews/reviews.ports.ts';
import type { ReviewService } from '../reviews/reviews.service.ts';
import type { SearchService } from '../search/search.service.ts';
import type { Logger } from '../shared/logger.ts';
import type { Clock } from '../shared/time.ts';
import type { ChannelCapabilities, ChannelName, Reply } from './conversation.types.ts';
import type { Translator } from './i18n/i18n.ts';
import type { Intent } from './intents/intent.types.ts';
import type { ConversationMemory, ConversationStateStore } from './state.ts';

/** Records shopper events; must never throw into the conversation. */
export interface EventRecorder {
  record(event: AnalyticsEvent): void;
}

export interface Recommender {
  youMayAlsoLike(storeId: string, productId: string, limit: number): Promise<ProductRecord[]>;
  popular(storeId: string, limit: number): Promise<ProductRecord[]>;
  forShopper(storeId: string, who: { customerId?: string | undefined; sessionKey?: string | undefined }, limit: number): Promise<ProductRecord[]>;
}

/** What the assistant (language model) turns free text into; see src/conversation/assistant. */
export type AssistantResult = { kind: 'intent'; intent: Intent; note?: string | undefined } | { kind: 'replies'; replies: Reply[] };

/** A language model that understands free text. Optional: the local parser always works. */
export interface Assistant {
  interpret(turn: TurnContext, text: string): Promise<AssistantResult | null>;
}

/** What a product card needs to know about a running sale. */
export type SaleBadge = Pick<PromotionRule, 'kind' | 'percentBps' | 'amountOff' | 'buyQuantity' | 'getQuantity' | 'productIds' | 'categoryIds' | 'endsAt'>;

export interface EngineDeps {
  catalog: CatalogService;
  search: SearchService;
  carts: CartService;
  checkout: CheckoutService;
  orders: OrderService;
  customers: CustomerService;
  state: ConversationStateStore;
  events: EventRecorder;
  recommender: Recommender;
  assistant?: Assistant | undefined;
  consent: ConsentService;
  /** Sales running in a store (cached by the promotions service). */
  sales?: ((storeId: string) => Promise<readonly SaleBadge[]>) | undefined;
  /** Records a press of a broadcast's Buy button, for the broadcast's results. */
  offers?: Pick<BroadcastResultsPort, 'clicked'> | undefined;
  /** "Notify me" on sold-out variants (back-in-stock alerts); absent: the button says alerts are unavailable. */
  stockAlerts?: StockAlertService | undefined;
  privacy: PrivacyService;
  /** Product reviews: the stars under a review request, and ratings on product cards; absent: neither. */
  reviews?: ReviewService | undefined;
  clock: Clock;
  log: Logger;
}

/** Everything a handler needs for one turn. `memory` is saved after the turn. */
export interface TurnContext {
  store: StoreRecord;
  channel: ChannelName;
  sessionKey: string;
  customerId: string;
  caps: ChannelCapabilities;
  t: Translator;
  memory: ConversationMemory;
  /** Sales running now (for the badge and countdown on product cards). */
  sales?: readonly SaleBadge[] | undefined;
  /** The turn's time (the engine's clock), for countdowns. */
  now?: Date | undefined;
  /** Ratings of the products this turn shows (loaded by the handler before rendering). */
  ratings?: ReadonlyMap<string, RatingSummary> | undefined;
  /** Set when the turn erased the shopper: nothing of this chat is saved afterwards. */
  erased?: boolean | undefined;
}
