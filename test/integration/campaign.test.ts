import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { PrismaAudience } from '../../src/infra/prisma/audience.repository.ts';
import { campaignCatalog } from '../../src/marketing/campaign-catalog.ts';
import { CampaignService } from '../../src/marketing/campaign.service.ts';
import type { CampaignDraft } from '../../src/marketing/campaign.ts';
import { fail } from '../../src/shared/errors.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { ManualClock } from '../../src/shared/time.ts';
import { FakeOpenAI } from '../fakes/openai-api.ts';
import { campaignArgs, shopper } from '../helpers/campaign-kit.ts';
import { createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const TIMEOUT_MS = 1_500;
const SENTENCE = "20% off hoodies for last month's buyers until Friday, announce it on Telegram";

describe.each(databases)(`campaigns from a sentence, against a fake OpenAI server (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let store: StoreRecord;
  // Thursday 26 November 2026, 13:00 in Berlin.
  const clock = new ManualClock(new Date('2026-11-26T12:00:00Z'));
  const campaigns = () => {
    const c = t.container.services.campaigns;
    expect(c.canPlan).toBe(true);
    return c;
  };
  const codes = async () =>
    (await t.container.services.promotions.list(store.id)).map((p) => `${p.code}:${p.active ? 'on' : 'off'}`).sort();
  const broadcastCount = async () => (await t.container.services.broadcasts.list(store.id, 100)).length;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    t = await createTestApp(kind, {
      clock,
      env: {
        OPENAI_API_KEY: 'sk-test-fake',
        OPENAI_BASE_URL: fake.baseURL,
        OPENAI_TIMEOUT_MS: String(TIMEOUT_MS),
        MARKETING_TIME_ZONE: 'Europe/Berlin',
      },
    });
    await seedDemoStore(t.container.services.catalog);
    store = await t.container.services.catalog.store('demo');
    const now = clock.now();
    await shopper(t, store.id, { id: 'tg-recent-1', channel: 'telegram', daysAgo: 10, now });
    await shopper(t, store.id, { id: 'tg-recent-2', channel: 'telegram', daysAgo: 20, now });
    await shopper(t, store.id, { id: 'tg-old', channel: 'telegram', daysAgo: 45, now });
    await shopper(t, store.id, { id: 'tg-never', channel: 'telegram', daysAgo: null, now });
    await shopper(t, store.id, { id: 'tg-not-subscribed', channel: 'telegram', daysAgo: 5, now, subscribed: false });
    await shopper(t, store.id, { id: 'dc-recent', channel: 'discord', daysAgo: 3, now });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it("turns the sentence into a checked draft (Friday in the store zone, last month's buyers on Telegram), then confirm creates the code and sends the broadcast", async () => {
    fake.respondChat({ toolCalls: [{ name: 'propose_campaign', arguments: campaignArgs() }] });
    const planned = await campaigns().plan(store, SENTENCE);
    expect(planned.ok, planned.ok ? '' : planned.message).toBe(true);
    if (!planned.ok) return;
    const p = planned.value;
    expect(p.draft.code).toMatch(/^HOODIES20-[A-Z2-9]{3}$/);
    expect(p.draft.endsAt?.toISOString()).toBe('2026-11-27T23:00:00.000Z'); // the end of Friday in Berlin
    expect(p.offer).toBe('20% off · until 2026-11-27');
    expect(p.scope).toBe('Hoodies (category)');
    expect(p.products.count).toBe(3);
    expect([...p.products.titles].sort()).toEqual(['Classic Hoodie', 'Lightweight Hoodie', 'Zip Hoodie']);
    expect(p.recipients).toEqual({ telegram: 2, discord: 0 });
    expect(p.audience).toBe('subscribers on telegram who ordered in the last 30 days');
    expect(p.text).toBe(`20% off every hoodie until Friday!\n\nCode: ${p.draft.code}`);

    // What the model was asked: one forced, strict tool, told the day and the zone.
    const [request] = fake.chatRequests();
    expect(request?.tool_choice).toEqual({ type: 'function', function: { name: 'propose_campaign' } });
    const tool = (
      request?.tools as { function: { name: string; strict: boolean; parameters: { additionalProperties: boolean; required: string[] } } }[]
    )[0];
    expect(tool?.function).toMatchObject({ name: 'propose_campaign', strict: true, parameters: { additionalProperties: false } });
    expect(tool?.function.parameters.required).toEqual(expect.arrayContaining(['offer', 'ends_on', 'segment', 'channel', 'text']));
    const messages = request?.messages as { role: string; content: string }[];
    expect(messages[0]?.content).toContain('Today is Thursday 2026-11-26, 13:00 in the store time zone Europe/Berlin');
    expect(messages[0]?.content).toContain('hoodies: Hoodies');
    expect(messages[1]).toEqual({ role: 'user', content: SENTENCE });
    expect(await codes()).toEqual([]); // a preview creates nothing

    const launched = await campaigns().confirm(store, p.draft, 'staff:test');
    expect(launched.ok, launched.ok ? '' : launched.message).toBe(true);
    if (!launched.ok) return;
    expect(launched.value.promotion).toMatchObject({
      code: p.draft.code,
      kind: 'percent',
      percentBps: 2000,
      active: true,
      automatic: false,
      endsAt: new Date('2026-11-27T23:00:00.000Z'),
    });
    expect(launched.value.promotion.categoryIds).toHaveLength(1);
    expect(launched.value.broadcast).toMatchObject({ status: 'sending', recipients: 2, text: p.text, createdBy: 'staff:test' });
    expect(launched.value.broadcast.segment.rules).toEqual([
      { kind: 'active_days', days: 30 },
      { kind: 'channel', channel: 'telegram' },
    ]);
    expect(await codes()).toEqual([`${p.draft.code}:on`]);

    // The same draft again: its code now exists, so nothing more is created.
    const again = await campaigns().confirm(store, p.draft, 'staff:test');
    expect(again.ok ? '' : again.message).toMatch(/already exists/);
    expect(await broadcastCount()).toBe(1);
  });

  it('refuses a draft whose product the model made up, saying which, and creates nothing', async () => {
    const before = { codes: await codes(), broadcasts: await broadcastCount() };
    fake.respondChat({
      toolCalls: [
        { name: 'propose_campaign', arguments: campaignArgs({ categories: [], products: ['unicorn-onesie'], code: 'UNICORN50' }) },
      ],
    });
    const r = await campaigns().plan(store, '50% off the unicorn onesie for everyone until Friday');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toBe('on: this shop has no product "unicorn-onesie" for sale');
    expect({ codes: await codes(), broadcasts: await broadcastCount() }).toEqual(before);
  });

  it("checks the code and the rules the model proposes with the promotion's own validation", async () => {
    await t.container.services.promotions.createFromText(store, 'HOODIE20 10%');
    fake.respondChat({
      toolCalls: [
        {
          name: 'propose_campaign',
          arguments: campaignArgs({ code: 'hoodie20', percent_off: 120, ends_on: '2026-11-20', segment: 'big spenders' }),
        },
      ],
    });
    const r = await campaigns().plan(store, '120% off hoodies, code hoodie20, until last Friday, for big spenders');
    const message = r.ok ? '' : r.message;
    expect(message).toContain('code: HOODIE20 already exists in this store');
    expect(message).toContain('percentOff: is required: more than 0 and at most 100');
    expect(message).toContain('until: that date has passed');
    expect(message).toContain('who: "big" is not a segment rule');
  });

  it('answers a slow model with a pointer to the step-by-step /campaign, within OPENAI_TIMEOUT_MS', async () => {
    fake.respondChat({ delayMs: TIMEOUT_MS + 2_000, toolCalls: [{ name: 'propose_campaign', arguments: campaignArgs() }] });
    const started = performance.now();
    const r = await campaigns().plan(store, SENTENCE);
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(r.ok ? '' : r.message).toBe(
      'The assistant did not answer in time; nothing was created. Try the step-by-step /campaign (send it with nothing after it).',
    );
  });

  it('tells the seller when the model answers in words instead of a draft', async () => {
    fake.respondChat({ content: 'Which products do you mean?' });
    const r = await campaigns().plan(store, 'do something nice');
    expect(r.ok ? '' : r.message).toMatch(
      /^That did not read as a campaign \(the assistant said: "Which products do you mean\?"\); nothing was created\. Try the step-by-step \/campaign/,
    );
  });

  it('switches the code off again when the broadcast cannot be confirmed, and says so', async () => {
    const real = t.container.services.broadcasts;
    const service = new CampaignService({
      promotions: t.container.services.promotions,
      broadcasts: {
        draft: (s, i) => real.draft(s, i),
        cancel: (s, id) => real.cancel(s, id),
        confirm: () => Promise.resolve(fail('ILLEGAL_TRANSITION', 'The broadcast changed meanwhile; reload it')),
      },
      audience: new PrismaAudience(t.container.db, () => clock.now()),
      catalog: campaignCatalog(t.container.services.catalog, t.container.services.search),
      planner: null,
      clock,
      log: createLogger('silent'),
      timeZone: 'Europe/Berlin',
      timeoutMs: TIMEOUT_MS,
    });
    const draft: CampaignDraft = {
      code: 'MUGS15',
      offer: { kind: 'percent', percentOff: 15 },
      categories: ['drinkware'],
      products: [],
      endsAt: new Date('2026-11-30T00:00:00Z'),
      segment: 'all',
      channel: 'all',
      text: 'Mugs: 15% off',
    };
    const r = await service.confirm(store, draft, 'staff:test');
    expect(r.ok ? '' : r.message).toBe(
      'The announcement was not sent (The broadcast changed meanwhile; reload it), so the code MUGS15 was switched off again. Nothing reached shoppers.',
    );
    expect(await codes()).toContain('MUGS15:off');
    const last = (await real.list(store.id, 1))[0];
    expect(last).toMatchObject({ status: 'cancelled', text: 'Mugs: 15% off\n\nCode: MUGS15' });
  });

  it('creates nothing when nobody in the segment can receive it', async () => {
    const before = await codes();
    const draft: CampaignDraft = {
      code: null,
      offer: { kind: 'free_shipping' },
      categories: [],
      products: [],
      endsAt: new Date('2026-11-29T00:00:00Z'),
      segment: 'tag:vip',
      channel: 'discord',
      text: 'Free shipping this weekend',
    };
    const preview = await campaigns().preview(store, draft);
    expect(preview.ok && preview.value.recipients).toEqual({ telegram: 0, discord: 0 });
    expect(preview.ok && preview.value.products.count).toBeGreaterThan(10); // the whole shop
    const r = await campaigns().confirm(store, draft, 'staff:test');
    expect(r.ok ? '' : r.message).toBe('Nothing was created: nobody in this segment has agreed to receive offers yet.');
    expect(await codes()).toEqual(before);
  });
});
