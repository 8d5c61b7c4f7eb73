import { z } from 'zod';
import type { CampaignDraft } from './campaign.ts';
import { endOfLocalDay, localNow } from './campaign-time.ts';

/** The one tool the model must call. */
export const CAMPAIGN_TOOL = 'propose_campaign';

/**
 * The tool's arguments. Every key is required and nullable instead of
 * optional, so the schema works in OpenAI's strict mode; ranges are not in
 * the schema (strict mode rejects some keywords) but checked by
 * campaignRules, which reports them to the seller. Amounts are MAJOR units.
 */
export const campaignArgs = z.strictObject({
  offer: z.enum(['percent', 'fixed', 'free_shipping', 'buy_x_get_y']).describe('The kind of discount'),
  percent_off: z.number().nullable().describe('percent: e.g. 20 for 20% off; buy_x_get_y: off the free units (100 = free); else null'),
  amount_off: z.number().nullable().describe('fixed: amount off in MAJOR units of the store currency (5 = 5.00); else null'),
  buy_quantity: z.number().nullable().describe('buy_x_get_y: units to buy; else null'),
  get_quantity: z.number().nullable().describe('buy_x_get_y: units given; else null'),
  min_subtotal: z.number().nullable().describe('Minimum basket in MAJOR units, only if the seller said so; else null'),
  once_per_customer: z.boolean().describe('True only if the seller said once per customer'),
  code: z.string().nullable().describe('The promo code only if the seller named one; else null (one is made up)'),
  categories: z.array(z.string()).describe('Category slugs from the list the offer applies to; [] with no products means the whole shop'),
  products: z.array(z.string()).describe('Product slugs from the list the offer applies to; never a slug that is not in the list'),
  ends_on: z.string().nullable().describe('The last day of the offer, YYYY-MM-DD in the store time zone ("until Friday" is that Friday)'),
  segment: z.string().describe('Who hears of it, in segment words (see the instructions), e.g. "all" or "active:30"'),
  channel: z.enum(['telegram', 'discord', 'all']).describe('Where to announce it'),
  text: z.string().describe('The announcement shoppers read, in the language the seller wrote in, short, without inventing facts'),
});
export type CampaignArgs = z.infer<typeof campaignArgs>;

export function campaignToolSchema(): Record<string, unknown> {
  const out = z.toJSONSchema(campaignArgs, { io: 'input' });
  delete out.$schema;
  return out;
}

export interface PlanFacts {
  now: Date;
  timeZone: string;
  currency: string;
  categories: { slug: string; name: string }[];
  products: { slug: string; title: string }[];
}

/** The instructions: today in the store's zone, the catalog's slugs, the segment words. */
export function campaignPrompt(f: PlanFacts): string {
  const today = localNow(f.now, f.timeZone);
  return [
    `You turn a shop owner's sentence into one call of ${CAMPAIGN_TOOL}. Do not answer in text unless the sentence is not a promotion at all.`,
    `Today is ${today.weekday} ${today.date}, ${today.time} in the store time zone ${f.timeZone}. Resolve dates against it: "until Friday" is the next Friday (today if today is Friday); "for a week" ends 7 days from today.`,
    `Store currency: ${f.currency}. Amounts are in major units.`,
    `Categories (slug: name): ${f.categories.map((c) => `${c.slug}: ${c.name}`).join('; ') || 'none'}.`,
    `Products (slug: title): ${f.products.map((p) => `${p.slug}: ${p.title}`).join('; ') || 'none'}.`,
    'Use only slugs from these lists. If the seller names something that is not in them, still pass the slug they mean; the shop will refuse it.',
    'Segment words, combined with spaces (all must hold): all; active:N (bought in the last N days, "last month\'s buyers" is active:30); inactive:N (no order in N days); bought:<product slug>; category:<category slug> (bought from it); spent>50 (spent at least 50); tag:<tag>.',
    'Channel: telegram or discord when the seller names one, else all.',
  ].join('\n');
}

/** Major units → minor units, null when the amount has more decimals than the currency. */
function minor(amount: number | null, exponent: number): number | undefined | null {
  if (amount === null) return undefined;
  const v = Math.round(amount * 10 ** exponent);
  return Number.isFinite(amount) && Math.abs(amount * 10 ** exponent - v) < 1e-6 ? v : null;
}

const nullToUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** Validated tool arguments → a draft (dates resolved in the store zone), or what is wrong with them. */
export function draftFromArgs(
  text: string,
  f: { timeZone: string; exponent: number },
): { ok: true; draft: CampaignDraft } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the model did not return JSON' };
  }
  const parsed = campaignArgs.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      message: `the model returned an incomplete draft (${parsed.error.issues.map((i) => i.path.join('.') || 'root').join(', ')})`,
    };
  const a = parsed.data;
  const amountOff = minor(a.amount_off, f.exponent);
  const minSubtotal = minor(a.min_subtotal, f.exponent);
  if (amountOff === null || minSubtotal === null) return { ok: false, message: 'the model gave an amount with too many decimals' };
  const endsAt = a.ends_on === null ? null : endOfLocalDay(a.ends_on, f.timeZone);
  if (a.ends_on !== null && !endsAt) return { ok: false, message: `the model gave "${a.ends_on}" as a date` };
  return {
    ok: true,
    draft: {
      code: a.code?.trim() ? a.code.trim() : null,
      offer: {
        kind: a.offer,
        percentOff: a.offer === 'percent' || a.offer === 'buy_x_get_y' ? nullToUndefined(a.percent_off) : undefined,
        amountOff: a.offer === 'fixed' ? amountOff : undefined,
        buyQuantity: a.offer === 'buy_x_get_y' ? nullToUndefined(a.buy_quantity) : undefined,
        getQuantity: a.offer === 'buy_x_get_y' ? nullToUndefined(a.get_quantity) : undefined,
        minSubtotal,
        perCustomerLimit: a.once_per_customer ? 1 : undefined,
      },
      categories: a.categories.slice(0, 20).map((s) => s.trim().toLowerCase()),
      products: a.products.slice(0, 20).map((s) => s.trim().toLowerCase()),
      endsAt,
      segment: a.segment,
      channel: a.channel,
      text: a.text,
    },
  };
}
