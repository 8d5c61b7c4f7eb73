import type { StoreRecord } from '../catalog/catalog.types.ts';
import { fail, ok, type Result } from '../shared/errors.ts';
import type { Clock } from '../shared/time.ts';
import { normalizeCode, validatePromotion, type PromotionInput } from './promotion-input.ts';
import { evaluatePromotion } from './promotion-rules.ts';
import type { PromotionCart, PromotionOutcome, PromotionRefusal, PromotionRule } from './promotion.types.ts';
import type { PromotionRepository } from './promotions.ports.ts';

export type CodeCheck = { ok: true; rule: PromotionRule; outcome: PromotionOutcome } | { ok: false; rule: PromotionRule | null; refusal: PromotionRefusal | { code: 'UNKNOWN_CODE' } };

/** Promo codes: sellers create and switch them off; carts check them against the rules. */
export class PromotionService {
  constructor(
    private readonly repo: PromotionRepository,
    private readonly clock: Clock,
  ) {}

  async create(store: StoreRecord, input: PromotionInput): Promise<Result<PromotionRule>> {
    const v = validatePromotion(input, store.currency);
    if (!v.ok) {
      const first = v.issues[0];
      return fail('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : 'Invalid promotion', { issues: v.issues });
    }
    const created = await this.repo.create(store.id, v.draft);
    return created.ok ? created : fail('CONFLICT', `The code ${v.draft.code} already exists in this store`);
  }

  list(storeId: string) {
    return this.repo.list(storeId);
  }

  async setActive(storeId: string, code: string, active: boolean): Promise<Result<PromotionRule>> {
    const r = await this.repo.setActive(storeId, normalizeCode(code), active);
    return r ? ok(r) : fail('NOT_FOUND', `No promotion with the code ${normalizeCode(code)}`);
  }

  /** What a typed code gives this cart now, or why not. */
  async check(storeId: string, code: string, cart: PromotionCart, customerId: string | null): Promise<CodeCheck> {
    const rule = await this.repo.findByCode(storeId, normalizeCode(code));
    if (!rule) return { ok: false, rule: null, refusal: { code: 'UNKNOWN_CODE' } };
    const r = evaluatePromotion(rule, cart, await this.repo.usage(rule, customerId), this.clock.now());
    return r.ok ? { ok: true, rule, outcome: r.value } : { ok: false, rule, refusal: r.refusal };
  }
}
