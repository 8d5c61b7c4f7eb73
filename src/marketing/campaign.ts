import { validatePromotion, type PromotionDraft, type PromotionInput } from '../promotions/promotion-input.ts';
import { parseSegment, type MarketingChannel, type Segment } from './segment.ts';

/** The offer of a campaign, in the promotion's own terms (amounts in minor units). */
export type CampaignOffer = Pick<
  PromotionInput,
  'kind' | 'percentOff' | 'amountOff' | 'buyQuantity' | 'getQuantity' | 'minSubtotal' | 'perCustomerLimit'
>;

/**
 * A campaign before anything exists: a promo code, who hears of it and what
 * they read. Channel-neutral: the model (from a sentence) and the step-by-step
 * buttons both build one; nothing is created until the seller confirms.
 */
export interface CampaignDraft {
  /** The code shoppers type; null: one is made up when the draft is checked. */
  code: string | null;
  offer: CampaignOffer;
  /** Category and product slugs the offer applies to; both empty: the whole shop. */
  categories: string[];
  products: string[];
  endsAt: Date | null;
  /** Who, in the words /broadcast reads: "all", "active:30", "category:hoodies spent>50", … */
  segment: string;
  /** Where the announcement goes. */
  channel: MarketingChannel | 'all';
  /** The announcement; the code is added when the text does not mention it. */
  text: string;
}

/** Slugs resolved to ids by the caller (who checked them against the catalog). */
export interface ResolvedScope {
  productIds: string[];
  categoryIds: string[];
}

export type CampaignRules =
  | { ok: true; code: string; promotion: PromotionInput; rule: PromotionDraft; segment: Segment; text: string }
  | { ok: false; issues: string[] };

export const MAX_CAMPAIGN_DAYS = 90;
/** The longest announcement a campaign takes. */
export const MAX_CAMPAIGN_TEXT = 3000;
const DAY_MS = 86_400_000;

/** The announcement as sent: the seller's text, with the code when it is not in it. */
export function announcement(text: string, code: string): string {
  const t = text.trim();
  return t.toUpperCase().includes(code.toUpperCase()) ? t : `${t}\n\nCode: ${code}`;
}

/** A code for a draft that has none, e.g. "HOODIES20-K4Q" (checked like any other). */
export function suggestCode(draft: Pick<CampaignDraft, 'offer' | 'categories' | 'products'>, random: () => number = Math.random): string {
  const word =
    (draft.categories[0] ?? draft.products[0] ?? 'deal')
      .replace(/[^a-z0-9]/gi, '')
      .slice(0, 10)
      .toUpperCase() || 'DEAL';
  const o = draft.offer;
  const what =
    o.kind === 'percent'
      ? String(Math.round(o.percentOff ?? 0))
      : o.kind === 'free_shipping'
        ? 'SHIP'
        : o.kind === 'fixed'
          ? 'OFF'
          : 'BXGY';
  const tail = Array.from({ length: 3 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(random() * 32)] ?? 'X').join('');
  return `${word}${what}-${tail}`;
}

/**
 * Every rule of a campaign, reported at once: the promotion's own validation
 * (validatePromotion), the segment's own parser (parseSegment), and what a
 * campaign adds: an end within MAX_CAMPAIGN_DAYS and a text that fits.
 */
export function campaignRules(draft: CampaignDraft, scope: ResolvedScope, currency: string, exponent: number, now: Date): CampaignRules {
  const issues: string[] = [];
  const code = (draft.code ?? '').trim().toUpperCase();
  const promotion: PromotionInput = {
    ...draft.offer,
    code,
    productIds: scope.productIds,
    categoryIds: scope.categoryIds,
    endsAt: draft.endsAt ?? undefined,
    automatic: false,
  };
  const v = validatePromotion(promotion, currency);
  if (!v.ok) issues.push(...v.issues.map((i) => `${i.path}: ${i.message}`));
  if (!draft.endsAt) issues.push('until: a campaign needs an end date');
  else if (draft.endsAt.getTime() <= now.getTime()) issues.push('until: that date has passed');
  else if (draft.endsAt.getTime() > now.getTime() + MAX_CAMPAIGN_DAYS * DAY_MS)
    issues.push(`until: at most ${MAX_CAMPAIGN_DAYS} days from now`);
  const words = `${draft.segment} ${draft.channel === 'all' ? '' : draft.channel}`;
  const seg = parseSegment(words, exponent);
  if (!seg.ok) issues.push(`who: ${seg.message}`);
  const text = draft.text.trim();
  if (!text) issues.push('text: the announcement is empty');
  else if (text.length > MAX_CAMPAIGN_TEXT) issues.push(`text: at most ${MAX_CAMPAIGN_TEXT} characters`);
  if (issues.length || !v.ok || !seg.ok) return { ok: false, issues };
  return { ok: true, code: v.draft.code, promotion, rule: v.draft, segment: seg.segment, text: announcement(text, v.draft.code) };
}
