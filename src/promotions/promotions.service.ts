import type { StoreRecord } from '../catalog/catalog.types.ts';
import { fail, ok, type Result } from '../shared/errors.ts';
import type { Clock } from '../shared/time.ts';
import { currencyExponent, formatMoney } from '../shared/money.ts';
import { parsePromoCommand } from './promo-command.ts';
import { normalizeCode, validatePromotion, type PromotionInput } from './promotion-input.ts';
import { evaluatePromotion } from './promotion-rules.ts';
import type { PromotionCart, PromotionOutcome, PromotionRefusal, PromotionRule } from './promotion.types.ts';
import type { PromotionRepository } from './promotions.ports.ts';

export type CodeCheck = { ok: true; rule: PromotionRule; outcome: PromotionOutcome } | { ok: false; rule: PromotionRule | null; refusal: PromotionRefusal | { code: 'UNKNOWN_CODE' } };

/** Finds what "on <slug>" means in a store: a category first, else a product. */
/** Sales change rarely; a new or switched-off one is seen at once on this instance, within this on others. */
const SALES_CACHE_MS = 15_000;

export type ScopeResolver = (storeId: string, slug: string) => Promise<{ kind: 'category' | 'product'; id: string } | null>;

/** A store's categories as a tree: each id with its parent's. */
export type CategoryTree = (storeId: string) => Promise<readonly { id: string; parentId: string | null }[]>;

/** Promo codes: sellers create and switch them off; carts check them against the rules. */
export class PromotionService {
  constructor(
    private readonly repo: PromotionRepository,
    private readonly clock: Clock,
    private readonly scope: ScopeResolver = () => Promise.resolve(null),
    private readonly categories: CategoryTree = () => Promise.resolve([]),
  ) {}

  private readonly salesCache = new Map<string, { rules: PromotionRule[]; until: number }>();
  private readonly childrenCache = new Map<string, { children: Map<string, string[]>; until: number }>();

  /**
   * The rule as carts and product cards apply it: a category in its scope
   * covers the categories under it too ("20% off Apparel" includes Apparel ›
   * Hoodies; one added later within 15 s, the tree is cached like the sales).
   * The stored rule names what the seller chose.
   */
  private async applied(rule: PromotionRule): Promise<PromotionRule> {
    if (!rule.categoryIds.length) return rule;
    const now = this.clock.now().getTime();
    let hit = this.childrenCache.get(rule.storeId);
    if (!hit || hit.until <= now) {
      const children = new Map<string, string[]>();
      for (const c of await this.categories(rule.storeId)) if (c.parentId) children.set(c.parentId, [...(children.get(c.parentId) ?? []), c.id]);
      hit = { children, until: now + SALES_CACHE_MS };
      this.childrenCache.set(rule.storeId, hit);
    }
    const all = new Set(rule.categoryIds);
    for (const id of all) for (const child of hit.children.get(id) ?? []) all.add(child);
    return all.size === rule.categoryIds.length ? rule : { ...rule, categoryIds: [...all] };
  }

  /** A promotion typed in a seller chat ("WINTER20 20% on hoodies until 2026-12-31"). */
  async createFromText(store: StoreRecord, text: string, opts: { automatic?: boolean } = {}): Promise<Result<PromotionRule>> {
    const parsed = parsePromoCommand(text, currencyExponent(store.currency), this.clock.now());
    if (!parsed.ok) return fail('VALIDATION_FAILED', parsed.message);
    const { scope, ...input } = parsed.value;
    const productIds: string[] = [];
    const categoryIds: string[] = [];
    for (const slug of scope) {
      const found = await this.scope(store.id, slug);
      if (!found) return fail('VALIDATION_FAILED', `There is no category or product "${slug}" in this shop`);
      (found.kind === 'category' ? categoryIds : productIds).push(found.id);
    }
    return this.create(store, { ...input, productIds, categoryIds, automatic: opts.automatic ?? false });
  }

  async create(store: StoreRecord, input: PromotionInput): Promise<Result<PromotionRule>> {
    const v = validatePromotion(input, store.currency);
    if (!v.ok) {
      const first = v.issues[0];
      return fail('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : 'Invalid promotion', { issues: v.issues });
    }
    const created = await this.repo.create(store.id, v.draft);
    if (created.ok && created.value.automatic) this.salesCache.delete(store.id);
    return created.ok ? created : fail('CONFLICT', `The code ${v.draft.code} already exists in this store`);
  }

  list(storeId: string) {
    return this.repo.list(storeId);
  }

  async setActive(storeId: string, code: string, active: boolean): Promise<Result<PromotionRule>> {
    const r = await this.repo.setActive(storeId, normalizeCode(code), active);
    this.salesCache.delete(storeId);
    return r ? ok(r) : fail('NOT_FOUND', `No promotion with the code ${normalizeCode(code)}`);
  }

  /** Sales running now in a store (scopes with their sub-categories), cached briefly (every cart total and product card asks). */
  async sales(storeId: string): Promise<PromotionRule[]> {
    const now = this.clock.now().getTime();
    const hit = this.salesCache.get(storeId);
    if (hit && hit.until > now) return hit.rules.filter((r) => !r.endsAt || r.endsAt.getTime() > now);
    const rules = await Promise.all((await this.repo.activeSales(storeId, this.clock.now())).map((r) => this.applied(r)));
    this.salesCache.set(storeId, { rules, until: now + SALES_CACHE_MS });
    return rules;
  }

  /** The sale that gives this cart the most right now, if any. */
  async bestSale(storeId: string, cart: PromotionCart, customerId: string | null): Promise<{ rule: PromotionRule; outcome: PromotionOutcome } | null> {
    let best: { rule: PromotionRule; outcome: PromotionOutcome } | null = null;
    for (const rule of await this.sales(storeId)) {
      const r = evaluatePromotion(rule, cart, await this.repo.usage(rule, customerId), this.clock.now());
      if (r.ok && (!best || r.value.discount > best.outcome.discount)) best = { rule, outcome: r.value };
    }
    return best;
  }

  /** What a typed code gives this cart now, or why not. */
  async check(storeId: string, code: string, cart: PromotionCart, customerId: string | null): Promise<CodeCheck> {
    const stored = await this.repo.findByCode(storeId, normalizeCode(code));
    if (!stored) return { ok: false, rule: null, refusal: { code: 'UNKNOWN_CODE' } };
    const rule = await this.applied(stored);
    const r = evaluatePromotion(rule, cart, await this.repo.usage(rule, customerId), this.clock.now());
    return r.ok ? { ok: true, rule, outcome: r.value } : { ok: false, rule, refusal: r.refusal };
  }
}

/** One line for a seller's list: "WINTER20 · 20% off · min 30.00 EUR · until 2026-12-31 · 3/200 used · off". */
export function describePromotion(p: PromotionRule & { uses?: number }): string {
  const money = (amount: number) => formatMoney({ amount, currency: p.currency });
  const what =
    p.kind === 'percent'
      ? `${(p.percentBps ?? 0) / 100}% off`
      : p.kind === 'fixed'
        ? `${money(p.amountOff ?? 0)} off`
        : p.kind === 'free_shipping'
          ? 'free shipping'
          : `buy ${p.buyQuantity ?? 0} get ${p.getQuantity ?? 0}${p.percentBps === 10000 ? ' free' : ` at ${(p.percentBps ?? 0) / 100}% off`}`;
  const parts = [p.code, what];
  const scope = [
    ...(p.categoryIds.length ? [`${p.categoryIds.length} categor${p.categoryIds.length === 1 ? 'y' : 'ies'}`] : []),
    ...(p.productIds.length ? [`${p.productIds.length} product${p.productIds.length === 1 ? '' : 's'}`] : []),
  ];
  if (scope.length) parts.push(`on ${scope.join(' and ')}`);
  if (p.minSubtotal !== null) parts.push(`min ${money(p.minSubtotal)}`);
  if (p.firstOrderOnly) parts.push('first order only');
  if (p.perCustomerLimit !== null) parts.push(`${p.perCustomerLimit} per customer`);
  if (p.startsAt) parts.push(`from ${p.startsAt.toISOString().slice(0, 10)}`);
  if (p.endsAt) parts.push(`until ${new Date(p.endsAt.getTime() - 1).toISOString().slice(0, 10)}`);
  if (p.uses !== undefined) parts.push(`${p.uses}${p.totalLimit !== null ? `/${p.totalLimit}` : ''} used`);
  else if (p.totalLimit !== null) parts.push(`limit ${p.totalLimit}`);
  if (!p.active) parts.push('off');
  return parts.join(' · ');
}
