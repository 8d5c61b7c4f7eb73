import type { StoreRecord } from '../catalog/catalog.types.ts';
import type { PromotionRule } from '../promotions/promotion.types.ts';
import { describePromotion } from '../promotions/promotions.service.ts';
import { Deadline, DeadlineExceeded } from '../shared/deadline.ts';
import { fail, ok, type Result } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { currencyExponent, formatMoney } from '../shared/money.ts';
import type { Clock } from '../shared/time.ts';
import type { RecipientFinder } from './broadcast.ports.ts';
import type { BroadcastRecord } from './broadcast.types.ts';
import { campaignRules, suggestCode, type CampaignDraft, type ResolvedScope } from './campaign.ts';
import type { CampaignBroadcasts, CampaignCatalog, CampaignPlanner, CampaignPromotions } from './campaign.ports.ts';
import { campaignPrompt, campaignToolSchema, draftFromArgs } from './campaign-request.ts';
import { describeSegment, type Segment } from './segment.ts';

export interface CampaignServiceDeps {
  promotions: CampaignPromotions;
  broadcasts: CampaignBroadcasts;
  audience: RecipientFinder;
  catalog: CampaignCatalog;
  /** null without OPENAI_API_KEY: drafts are built step by step. */
  planner: CampaignPlanner | null;
  clock: Clock;
  log: Logger;
  /** The store's time zone: "until Friday" is Friday there. */
  timeZone: string;
  /** The model's whole budget (OPENAI_TIMEOUT_MS). */
  timeoutMs: number;
}

/** What the seller sees before confirming: nothing of it exists yet. */
export interface CampaignPreview {
  /** The draft with its code filled in. */
  draft: CampaignDraft & { code: string };
  /** "20% off · until 2026-11-27", from the promotion's own description. */
  offer: string;
  /** "Hoodies (category)", or "the whole shop". */
  scope: string;
  products: { count: number; titles: string[] };
  audience: string;
  recipients: { telegram: number; discord: number };
  /** The announcement as it will be sent (with the code). */
  text: string;
}

export interface CampaignLaunched {
  promotion: PromotionRule;
  broadcast: BroadcastRecord;
  preview: CampaignPreview;
}

const TRY_WIZARD = 'Try the step-by-step /campaign (send it with nothing after it).';
const PRODUCTS_PLANNED = 100;
const TITLES_SHOWN = 5;

/**
 * Campaigns: a promotion, the segment that hears of it and the announcement,
 * previewed together and created together on confirm. The model (when there
 * is one) only proposes a draft; every slug and code in it is checked here
 * against the store before the seller sees it.
 */
export class CampaignService {
  constructor(private readonly deps: CampaignServiceDeps) {}

  /** The zone campaign dates are read and shown in. */
  get timeZone(): string {
    return this.deps.timeZone;
  }

  get canPlan(): boolean {
    return this.deps.planner !== null;
  }

  /** A seller's sentence → a checked draft and its preview, within OPENAI_TIMEOUT_MS. */
  async plan(store: StoreRecord, sentence: string): Promise<Result<CampaignPreview>> {
    const planner = this.deps.planner;
    if (!planner) return fail('SERVICE_UNAVAILABLE', `Campaigns from a sentence need OPENAI_API_KEY. ${TRY_WIZARD}`);
    const deadline = new Deadline(this.deps.timeoutMs);
    const started = performance.now();
    let answer;
    try {
      const [categories, products] = await deadline.race(
        Promise.all([this.deps.catalog.categories(store.id), this.deps.catalog.products(store.id, PRODUCTS_PLANNED)]),
      );
      const system = campaignPrompt({
        now: this.deps.clock.now(),
        timeZone: this.deps.timeZone,
        currency: store.currency,
        categories,
        products,
      });
      answer = await deadline.race(planner.plan({ system, sentence, parameters: campaignToolSchema() }, { signal: deadline.signal }));
    } catch (err) {
      const slow = err instanceof DeadlineExceeded || deadline.signal.aborted;
      this.deps.log.warn(
        { err: err instanceof Error ? err.message : String(err), ms: Math.round(performance.now() - started), store: store.slug },
        'campaign model failed',
      );
      return fail(
        'SERVICE_UNAVAILABLE',
        `${slow ? 'The assistant did not answer in time' : 'The assistant is not available right now'}; nothing was created. ${TRY_WIZARD}`,
      );
    } finally {
      deadline.dispose();
    }
    if (answer.kind === 'text') {
      const said = answer.text?.trim().slice(0, 300);
      return fail(
        'VALIDATION_FAILED',
        `That did not read as a campaign${said ? ` (the assistant said: "${said}")` : ''}; nothing was created. ${TRY_WIZARD}`,
      );
    }
    const parsed = draftFromArgs(answer.arguments, { timeZone: this.deps.timeZone, exponent: currencyExponent(store.currency) });
    if (!parsed.ok)
      return fail('VALIDATION_FAILED', `The assistant's draft was unusable: ${parsed.message}; nothing was created. ${TRY_WIZARD}`);
    const preview = await this.preview(store, parsed.draft);
    if (!preview.ok) this.deps.log.info({ store: store.slug, issues: preview.message }, 'campaign draft from the model refused');
    return preview;
  }

  /** Checks a draft against the store (slugs, code, rules, segment) and says what it would do. */
  async preview(store: StoreRecord, draft: CampaignDraft): Promise<Result<CampaignPreview>> {
    const checked = await this.check(store, draft);
    if (!checked.ok) return checked;
    const { scope, scopeLabel, segment, rule, text, code } = checked.value;
    const [products, found] = await Promise.all([
      this.deps.catalog.affected(store.id, scope, TITLES_SHOWN),
      this.deps.audience.find(store.id, segment),
    ]);
    const recipients = { telegram: 0, discord: 0 };
    for (const r of found) recipients[r.channel]++;
    const money = (amount: number) => formatMoney({ amount, currency: store.currency });
    const offer = describePromotion({ ...rule, productIds: [], categoryIds: [], id: '', storeId: store.id, active: true })
      .split(' · ')
      .slice(1)
      .join(' · ');
    return ok({
      draft: { ...draft, code },
      offer,
      scope: scopeLabel,
      products,
      audience: describeSegment(segment, money),
      recipients,
      text,
    });
  }

  /**
   * Creates the promotion, then the broadcast, then confirms the broadcast
   * (sent now). If a broadcast step fails the promotion is switched off
   * again, so nothing is left half-done without the seller being told.
   */
  async confirm(store: StoreRecord, draft: CampaignDraft, actor: string): Promise<Result<CampaignLaunched>> {
    const preview = await this.preview(store, draft);
    if (!preview.ok) return fail(preview.code, `Nothing was created: ${preview.message}`);
    if (preview.value.recipients.telegram + preview.value.recipients.discord === 0) {
      return fail('VALIDATION_FAILED', 'Nothing was created: nobody in this segment has agreed to receive offers yet.');
    }
    const checked = await this.check(store, preview.value.draft);
    if (!checked.ok) return fail(checked.code, `Nothing was created: ${checked.message}`);
    const { scope, segment, promotion, text } = checked.value;
    const created = await this.deps.promotions.create(store, promotion);
    if (!created.ok) return fail(created.code, `Nothing was created: ${created.message}`);
    const code = created.value.code;
    let broadcastId: string | null = null;
    try {
      const productId = scope.productIds.length === 1 && scope.categoryIds.length === 0 ? (scope.productIds[0] ?? null) : null;
      const b = await this.deps.broadcasts.draft(store.id, { createdBy: actor, text, imageUrl: null, productId, segment });
      if (!b.ok) return await this.undo(store, code, null, b.message);
      broadcastId = b.value.broadcast.id;
      const sent = await this.deps.broadcasts.confirm(store.id, broadcastId);
      if (!sent.ok) return await this.undo(store, code, broadcastId, sent.message);
      this.deps.log.info(
        { actor, store: store.slug, code, broadcast: broadcastId, recipients: sent.value.recipients },
        'campaign launched',
      );
      return ok({ promotion: created.value, broadcast: sent.value, preview: preview.value });
    } catch (err) {
      this.deps.log.error({ err, actor, code, broadcast: broadcastId }, 'campaign broadcast failed');
      return this.undo(store, code, broadcastId, 'the broadcast could not be saved');
    }
  }

  private async undo(store: StoreRecord, code: string, broadcastId: string | null, why: string): Promise<Result<never>> {
    const off = await this.deps.promotions.setActive(store.id, code, false).catch(() => null);
    if (broadcastId) await this.deps.broadcasts.cancel(store.id, broadcastId).catch(() => null);
    this.deps.log.warn({ store: store.slug, code, broadcast: broadcastId, why, switchedOff: off?.ok ?? false }, 'campaign rolled back');
    return off?.ok
      ? fail(
          'ILLEGAL_TRANSITION',
          `The announcement was not sent (${why}), so the code ${code} was switched off again. Nothing reached shoppers.`,
        )
      : fail(
          'ILLEGAL_TRANSITION',
          `The announcement was not sent (${why}), and the code ${code} could not be switched off: switch it off with /promo off ${code}.`,
        );
  }

  /** Slugs → ids, a free code, then the promotion's and the segment's own rules. */
  private async check(store: StoreRecord, draft: CampaignDraft) {
    const issues: string[] = [];
    const scope: ResolvedScope = { productIds: [], categoryIds: [] };
    const labels: string[] = [];
    const categories = draft.categories.length ? await this.deps.catalog.categories(store.id) : [];
    for (const slug of draft.categories) {
      const c = categories.find((x) => x.slug === slug);
      if (!c) {
        issues.push(`on: this shop has no category "${slug}"`);
        continue;
      }
      scope.categoryIds.push(c.id);
      labels.push(`${c.name} (category)`);
    }
    for (const slug of draft.products) {
      const p = await this.deps.catalog.product(store.id, slug);
      if (!p) {
        issues.push(`on: this shop has no product "${slug}" for sale`);
        continue;
      }
      scope.productIds.push(p.id);
      labels.push(p.title);
    }
    const taken = new Set((await this.deps.promotions.list(store.id)).map((p) => p.code));
    let code = draft.code?.trim().toUpperCase() || suggestCode(draft);
    for (let i = 0; !draft.code && taken.has(code) && i < 5; i++) code = suggestCode(draft);
    if (taken.has(code)) issues.push(`code: ${code} already exists in this store`);
    const rules = campaignRules({ ...draft, code }, scope, store.currency, currencyExponent(store.currency), this.deps.clock.now());
    if (!rules.ok) issues.push(...rules.issues);
    const unknown = rules.ok ? await this.deps.audience.unknownRefs(store.id, rules.segment) : [];
    if (unknown.length) issues.push(`who: this store has no ${unknown.map((u) => `"${u}"`).join(', ')}`);
    if (issues.length || !rules.ok) return fail('VALIDATION_FAILED', issues.join('\n'), { issues });
    const segment: Segment = rules.segment;
    return ok({
      scope,
      scopeLabel: labels.length ? labels.join(', ') : 'the whole shop',
      segment,
      rule: rules.rule,
      promotion: rules.promotion,
      text: rules.text,
      code,
    });
  }
}
