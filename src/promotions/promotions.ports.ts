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
  /** Uses so far, and this customer's (paid orders too, for first-order-only). */
  usage(promotion: PromotionRule, customerId: string | null): Promise<PromotionUsage>;
}
