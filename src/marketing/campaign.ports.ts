import type { BroadcastService } from './broadcast.service.ts';
import type { ResolvedScope } from './campaign.ts';
import type { PromotionService } from '../promotions/promotions.service.ts';

/** What a campaign reads of the catalog: only products for sale count. */
export interface CampaignCatalog {
  categories(storeId: string): Promise<{ id: string; slug: string; name: string }[]>;
  /** A product for sale by slug; null when there is none. */
  product(storeId: string, slug: string): Promise<{ id: string; slug: string; title: string } | null>;
  /** Products for sale, for the model's instructions (the first `limit`). */
  products(storeId: string, limit: number): Promise<{ slug: string; title: string }[]>;
  /** Products for sale a promotion with this scope covers (empty scope: all): how many, and the first titles. */
  affected(storeId: string, scope: ResolvedScope, titles: number): Promise<{ count: number; titles: string[] }>;
}

/** What the model is told: the sentence, and the facts it must resolve it against. */
export interface CampaignPlanRequest {
  system: string;
  sentence: string;
  /** The JSON Schema of the one tool the model must call. */
  parameters: Record<string, unknown>;
}

/** The model's proposal: the tool's arguments as JSON text (unvalidated), or a plain answer. */
export type CampaignPlanAnswer = { kind: 'draft'; arguments: string } | { kind: 'text'; text: string | null };

/** Turns a seller's sentence into campaign tool arguments (src/infra/openai implements it). */
export interface CampaignPlanner {
  plan(request: CampaignPlanRequest, opts: { signal: AbortSignal }): Promise<CampaignPlanAnswer>;
}

export type CampaignPromotions = Pick<PromotionService, 'create' | 'setActive' | 'list'>;
export type CampaignBroadcasts = Pick<BroadcastService, 'draft' | 'confirm' | 'cancel'>;
