import type { CampaignDraft, CampaignOffer } from './campaign.ts';
import type { MarketingChannel } from './segment.ts';

/**
 * The step-by-step campaign (no language model needed): what, on what, who,
 * where, until, then the typed announcement. Each step is a short list of
 * choices any channel can show as buttons; the result is the same
 * CampaignDraft a sentence gives, checked by the same CampaignService.
 */
export const wizardSteps = ['what', 'on', 'who', 'where', 'until', 'text'] as const;
export type WizardStep = (typeof wizardSteps)[number];

interface Choice<T> {
  label: string;
  value: T;
}

export const WHAT: Choice<CampaignOffer>[] = [
  { label: '10% off', value: { kind: 'percent', percentOff: 10 } },
  { label: '20% off', value: { kind: 'percent', percentOff: 20 } },
  { label: '30% off', value: { kind: 'percent', percentOff: 30 } },
  { label: 'Free shipping', value: { kind: 'free_shipping' } },
  { label: 'Buy 2 get 1 free', value: { kind: 'buy_x_get_y', buyQuantity: 2, getQuantity: 1 } },
];
export const WHO: Choice<string>[] = [
  { label: 'All subscribers', value: 'all' },
  { label: 'Bought in the last 30 days', value: 'active:30' },
  { label: 'Bought in the last 7 days', value: 'active:7' },
  { label: 'No order in 60 days', value: 'inactive:60' },
];
export const WHERE: Choice<MarketingChannel | 'all'>[] = [
  { label: 'Telegram and Discord', value: 'all' },
  { label: 'Telegram only', value: 'telegram' },
  { label: 'Discord only', value: 'discord' },
];
export const UNTIL: Choice<number>[] = [
  { label: '1 day', value: 1 },
  { label: '3 days', value: 3 },
  { label: '7 days', value: 7 },
];
/** Categories offered on the "on" step (the first ones, in the store's order). */
export const MAX_CATEGORY_CHOICES = 10;

export interface WizardState {
  step: WizardStep;
  /** The store's categories when the wizard started: choices refer to them by position. */
  categories: { slug: string; name: string }[];
  offer?: CampaignOffer | undefined;
  on?: string | null | undefined;
  segment?: string | undefined;
  channel?: MarketingChannel | 'all' | undefined;
  days?: number | undefined;
}

export function startWizard(categories: { slug: string; name: string }[]): WizardState {
  return { step: 'what', categories: categories.slice(0, MAX_CATEGORY_CHOICES).map((c) => ({ slug: c.slug, name: c.name })) };
}

/** The question of the current step and its choices (none for the typed text). */
export function wizardQuestion(s: WizardState): { text: string; choices: string[] } {
  switch (s.step) {
    case 'what':
      return { text: 'New campaign (step 1 of 6) — what is the offer?', choices: WHAT.map((c) => c.label) };
    case 'on':
      return { text: 'Step 2 of 6 — on what?', choices: ['Everything', ...s.categories.map((c) => c.name)] };
    case 'who':
      return { text: 'Step 3 of 6 — who hears of it?', choices: WHO.map((c) => c.label) };
    case 'where':
      return { text: 'Step 4 of 6 — announce it where?', choices: WHERE.map((c) => c.label) };
    case 'until':
      return { text: 'Step 5 of 6 — how long does it run?', choices: UNTIL.map((c) => c.label) };
    case 'text':
      return { text: 'Step 6 of 6 — type the announcement shoppers will read (the code is added if you do not mention it).', choices: [] };
  }
}

/** Applies the choice at `index` of the current step; null when there is no such choice. */
export function chooseInWizard(s: WizardState, index: number): WizardState | null {
  const pick = <T>(list: Choice<T>[]) => list[index]?.value;
  switch (s.step) {
    case 'what': {
      const offer = pick(WHAT);
      return offer ? { ...s, offer, step: 'on' } : null;
    }
    case 'on': {
      if (index === 0) return { ...s, on: null, step: 'who' };
      const c = s.categories[index - 1];
      return c ? { ...s, on: c.slug, step: 'who' } : null;
    }
    case 'who': {
      const segment = pick(WHO);
      return segment ? { ...s, segment, step: 'where' } : null;
    }
    case 'where': {
      const channel = pick(WHERE);
      return channel ? { ...s, channel, step: 'until' } : null;
    }
    case 'until': {
      const days = pick(UNTIL);
      return days ? { ...s, days, step: 'text' } : null;
    }
    case 'text':
      return null;
  }
}

/** The finished wizard as a draft: ends `days` from now; the code is made up at the check. */
export function wizardDraft(s: WizardState, text: string, now: Date): CampaignDraft | null {
  if (s.step !== 'text' || !s.offer || s.on === undefined || !s.segment || !s.channel || !s.days) return null;
  return {
    code: null,
    offer: s.offer,
    categories: s.on ? [s.on] : [],
    products: [],
    endsAt: new Date(now.getTime() + s.days * 86_400_000),
    segment: s.segment,
    channel: s.channel,
    text,
  };
}
