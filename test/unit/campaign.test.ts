import { describe, expect, it } from 'vitest';
import { CampaignSessions } from '../../src/marketing/campaign-sessions.ts';
import { draftFromArgs } from '../../src/marketing/campaign-request.ts';
import { endOfLocalDay, localNow, startOfLocalDay } from '../../src/marketing/campaign-time.ts';
import { announcement, campaignRules, type CampaignDraft } from '../../src/marketing/campaign.ts';
import { chooseInWizard, startWizard, wizardDraft, type WizardState } from '../../src/marketing/campaign-wizard.ts';
import { campaignArgs } from '../helpers/campaign-kit.ts';

const now = new Date('2026-11-26T12:00:00Z');
const draft = (over: Partial<CampaignDraft> = {}): CampaignDraft => ({
  code: 'HOODIES20',
  offer: { kind: 'percent', percentOff: 20 },
  categories: ['hoodies'],
  products: [],
  endsAt: new Date('2026-11-28T00:00:00Z'),
  segment: 'active:30',
  channel: 'telegram',
  text: 'Hoodies 20% off',
  ...over,
});

describe('campaign dates in the store time zone', () => {
  it('ends a day at the next local midnight, across daylight saving changes', () => {
    expect(endOfLocalDay('2026-11-27', 'Europe/Berlin')?.toISOString()).toBe('2026-11-27T23:00:00.000Z');
    expect(endOfLocalDay('2026-03-28', 'Europe/Berlin')?.toISOString()).toBe('2026-03-28T23:00:00.000Z'); // the next day starts in summer time
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin')?.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(endOfLocalDay('2026-03-29', 'Europe/Berlin')?.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(endOfLocalDay('2026-11-27', 'America/New_York')?.toISOString()).toBe('2026-11-28T05:00:00.000Z');
    expect(endOfLocalDay('2026-02-30', 'UTC')).toBeNull();
    expect(localNow(new Date('2026-11-26T23:30:00Z'), 'Asia/Tokyo')).toEqual({ date: '2026-11-27', weekday: 'Friday', time: '08:30' });
  });
});

describe('campaign rules', () => {
  it('accepts a sound draft, adding the code to a text that lacks it', () => {
    const r = campaignRules(draft(), { categoryIds: ['c1'], productIds: [] }, 'EUR', 2, now);
    expect(r.ok && r.segment.rules).toEqual([
      { kind: 'active_days', days: 30 },
      { kind: 'channel', channel: 'telegram' },
    ]);
    expect(r.ok && r.text).toBe('Hoodies 20% off\n\nCode: HOODIES20');
    expect(r.ok && r.rule).toMatchObject({ code: 'HOODIES20', percentBps: 2000, categoryIds: ['c1'], automatic: false });
    expect(announcement('Use hoodies20 today', 'HOODIES20')).toBe('Use hoodies20 today');
  });

  it('reports every problem at once, with the promotion and segment rules', () => {
    const r = campaignRules(
      draft({ code: 'x', offer: { kind: 'fixed' }, endsAt: null, segment: 'discord', text: ' ' }),
      { categoryIds: [], productIds: [] },
      'EUR',
      2,
      now,
    );
    expect(r.ok ? [] : r.issues).toEqual([
      'code: must be 3-32 letters, digits, _ or -, starting with a letter or digit',
      'amountOff: is required for a fixed discount: a positive amount in minor units',
      'until: a campaign needs an end date',
      'who: Pick one channel, or none for both.',
      'text: the announcement is empty',
    ]);
    const far = campaignRules(draft({ endsAt: new Date('2027-06-01T00:00:00Z') }), { categoryIds: [], productIds: [] }, 'EUR', 2, now);
    expect(far.ok ? [] : far.issues).toEqual(['until: at most 90 days from now']);
  });
});

describe("the model's tool arguments", () => {
  const f = { timeZone: 'Europe/Berlin', exponent: 2 };
  it('become a draft: major units to minor, the last day to the next local midnight', () => {
    const r = draftFromArgs(
      JSON.stringify(
        campaignArgs({
          offer: 'fixed',
          percent_off: null,
          amount_off: 5.5,
          min_subtotal: 30,
          once_per_customer: true,
          categories: ['Hoodies '],
        }),
      ),
      f,
    );
    expect(r.ok && r.draft).toMatchObject({
      offer: { kind: 'fixed', amountOff: 550, minSubtotal: 3000, perCustomerLimit: 1, percentOff: undefined },
      categories: ['hoodies'],
      endsAt: new Date('2026-11-27T23:00:00Z'),
      channel: 'telegram',
    });
  });
  it('are refused when incomplete, not JSON, or with an impossible date or amount', () => {
    const msg = (text: string) => {
      const r = draftFromArgs(text, f);
      return r.ok ? '' : r.message;
    };
    expect(msg('{"offer":"percent"')).toBe('the model did not return JSON');
    const { text: _text, ...noText } = campaignArgs();
    expect(msg(JSON.stringify(noText))).toMatch(/incomplete draft \(text\)/);
    expect(msg(JSON.stringify(campaignArgs({ extra: 1 })))).toMatch(/incomplete draft/);
    expect(msg(JSON.stringify(campaignArgs({ ends_on: 'Friday' })))).toBe('the model gave "Friday" as a date');
    expect(msg(JSON.stringify(campaignArgs({ offer: 'fixed', amount_off: 1.234 })))).toBe(
      'the model gave an amount with too many decimals',
    );
  });
});

describe('the step-by-step campaign', () => {
  it('walks what, on, who, where, until, then takes the text; refuses choices that do not exist', () => {
    let s: WizardState | null = startWizard([{ slug: 'hoodies', name: 'Hoodies' }]);
    expect(chooseInWizard(s, 9)).toBeNull();
    for (const i of [1, 1, 1, 1, 2]) s = s && chooseInWizard(s, i);
    expect(s?.step).toBe('text');
    expect(s && chooseInWizard(s, 0)).toBeNull();
    expect(s && wizardDraft(s, 'Hi', now)).toEqual({
      code: null,
      offer: { kind: 'percent', percentOff: 20 },
      categories: ['hoodies'],
      products: [],
      endsAt: new Date('2026-12-03T12:00:00Z'),
      segment: 'active:30',
      channel: 'telegram',
      text: 'Hi',
    });
    expect(wizardDraft(startWizard([]), 'Hi', now)).toBeNull();
  });

  it('keeps sessions for their owner only, until they expire', () => {
    let t = 0;
    const sessions = new CampaignSessions(() => t);
    const id = sessions.put(1, { kind: 'wizard', wizard: startWizard([]) });
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(sessions.get(id, 2)).toBeNull();
    expect(sessions.get(id, 1)?.kind).toBe('wizard');
    t = 31 * 60_000;
    expect(sessions.get(id, 1)).toBeNull();
    const again = sessions.put(1, { kind: 'draft', draft: draft() });
    expect(sessions.take(again, 1)?.kind).toBe('draft');
    expect(sessions.take(again, 1)).toBeNull();
  });
});
