import type { Result } from '../shared/errors.ts';
import type { PromotionDraft } from './promotion-input.ts';
import type { PromotionRule, PromotionUsage } from './promotion.types.ts';

export interface PromotionStats {
  uses: number;
  /** Discount given so far, minor units. */
  discountGiven: number;
}

export interface PromotionRepository {
  /** CONFLICT when the store already has this code. */
  create(storeId: string, draft: PromotionDraft): Promise<Result<PromotionRule, 'CONFLICT'>>;
  findByCode(storeId: string, code: string): Promise<PromotionRule | null>;
  list(storeId: string): Promise<(PromotionRule & PromotionStats)[]>;
  setActive(storeId: string, code: string, active: boolean): Promise<PromotionRule | null>;
  /** Sales (automatic promotions) running at `now`. */
  activeSales(storeId: string, now: Date): Promise<PromotionRule[]>;
  /** What the rule's limits need to know: uses so far, this customer's, and (first-order-only) their paid orders; the rest reads 0. */
  usage(promotion: PromotionRule, customerId: string | null): Promise<PromotionUsage>;
}
