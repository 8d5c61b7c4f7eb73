import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-api.ts';
import { campaignArgs } from '../helpers/campaign-kit.ts';
import { databases, pgSkipReason } from '../helpers/test-app.ts';
import { Chat, labels, newUser, STAFF_ID, startHarness, textOf, type Harness } from './telegram-harness.ts';

const STALE = 'This campaign draft has expired or is not yours. Start again with /campaign.';

describe.each(databases)(`Telegram /campaign, step by step without a language model (%s)${pgSkipReason}`, (kind) => {
  let h: Harness;
  let seller: Chat;

  beforeAll(async () => {
    h = await startHarness(kind, { MARKETING_QUIET_HOURS: 'off' });
    seller = new Chat(h.fake, { id: STAFF_ID, is_bot: false, first_name: 'Sam', username: 'sam' });
    const fan = new Chat(h.fake, newUser('en', 'Fan'));
    await fan.message(fan.say('/subscribe'), /subscribed/);
  });
  afterAll(() => h.close());

  it('refuses shoppers', async () => {
    const shopper = new Chat(h.fake, newUser());
    await shopper.message(shopper.say('/campaign 20% off everything'), /^Sorry, that command is for the shop staff only\.$/);
  });

  it('builds the draft with buttons, previews it, refuses forged and stale buttons, and creates it on Confirm', async () => {
    const since = seller.say('/campaign 20% off hoodies for everyone');
    await seller.message(since, /need a language model \(OPENAI_API_KEY\); let us build it step by step/);
    const what = await seller.message(since, /^New campaign \(step 1 of 6\)/);
    expect(labels(what)).toEqual(['10% off', '20% off', '30% off', 'Free shipping', 'Buy 2 get 1 free', 'Cancel']);

    const step = async (call: Parameters<Chat['tap']>[0], label: string, expected: RegExp) => {
      const tap = seller.tap(call, label);
      await tap.answered();
      return seller.next('editMessageText', tap.since, (c) => expected.test(textOf(c)));
    };
    const on = await step(what, '20% off', /^Step 2 of 6 — on what\?/);
    expect(labels(on)).toEqual(expect.arrayContaining(['Everything', 'Hoodies', 'Drinkware', 'Cancel']));
    const back = seller.tap(what, '30% off');
    expect((await back.answered()).body.text).toBe('That button is from an earlier step.');
    const who = await step(on, 'Hoodies', /^Step 3 of 6/);
    expect(labels(who)).toContain('Bought in the last 30 days');
    const where = await step(who, 'All subscribers', /^Step 4 of 6/);
    const until = await step(where, 'Telegram only', /^Step 5 of 6/);
    await step(until, '3 days', /^Step 6 of 6 — type the announcement/);

    const typed = seller.say('Hoodie days: 20% off every hoodie!');
    const preview = await seller.message(typed, /^Campaign draft/);
    const text = textOf(preview);
    expect(text).toMatch(/^Code: HOODIES20-[A-Z2-9]{3} · 20% off · until \d{4}-\d{2}-\d{2}$/m);
    expect(text).toContain('On: Hoodies (category) — 3 products for sale: ');
    expect(text).toContain('Who: all subscribers on telegram — 1 recipient (Telegram 1, Discord 0)');
    const code = /Code: (HOODIES20-[A-Z2-9]{3})/.exec(text)?.[1] ?? '';
    expect(text).toContain(`Hoodie days: 20% off every hoodie!\n\nCode: ${code}`);
    expect(labels(preview)).toEqual(['Confirm: send to 1', 'Cancel']);
    const store = await h.t.container.services.catalog.store('demo');
    expect(await h.t.container.services.promotions.list(store.id)).toEqual([]);

    // A button of an earlier step, a made-up session, and a shopper pressing the real Confirm: all refused.
    const old = seller.tap(what, '30% off');
    expect((await old.answered()).body.text).toBe(STALE);
    const forged = seller.press('K1:0123456789ab:c', preview.result as never);
    expect((await forged.answered()).body.text).toBe(STALE);
    const confirmData = String(
      (preview.body.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]?.[0]?.callback_data,
    );
    const intruder = new Chat(h.fake, newUser());
    expect((await intruder.press(confirmData, preview.result as never).answered()).body.text).toBe('Staff only.');
    expect(await h.t.container.services.promotions.list(store.id)).toEqual([]);

    const confirm = seller.tap(preview, /^Confirm/);
    expect((await confirm.answered()).body.text).toBe('Creating…');
    const done = await seller.next('editMessageText', confirm.since);
    expect(textOf(done)).toMatch(
      new RegExp(`^Campaign on: code ${code} · 20% off · until .*\\nAnnouncement sending to 1 subscriber\\(s\\)`),
    );
    const promos = await h.t.container.services.promotions.list(store.id);
    expect(promos.map((p) => [p.code, p.active, p.categoryIds.length])).toEqual([[code, true, 1]]);
    const [broadcast] = await h.t.container.services.broadcasts.list(store.id, 5);
    expect(broadcast).toMatchObject({ status: 'sending', recipients: 1, text: `Hoodie days: 20% off every hoodie!\n\nCode: ${code}` });

    // Confirm twice: the draft is gone, nothing is created twice.
    const twice = seller.tap(preview, /^Confirm/);
    expect((await twice.answered()).body.text).toBe(STALE);
    expect(await h.t.container.services.broadcasts.list(store.id, 5)).toHaveLength(1);
  });

  it('cancels a wizard, after which its buttons are stale', async () => {
    const what = await seller.message(seller.say('/campaign'), /^New campaign/);
    const cancel = seller.tap(what, 'Cancel');
    await seller.next('editMessageText', cancel.since, (c) => /^Campaign cancelled — nothing was created\.$/.test(textOf(c)));
    expect((await seller.tap(what, '10% off').answered()).body.text).toBe(STALE);
  });
});

describe.each(databases)(`Telegram /campaign from a sentence with a language model (%s)${pgSkipReason}`, (kind) => {
  let h: Harness;
  let fake: FakeOpenAI;
  let seller: Chat;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    h = await startHarness(kind, {
      MARKETING_QUIET_HOURS: 'off',
      OPENAI_API_KEY: 'sk-test-fake',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_TIMEOUT_MS: '1500',
    });
    seller = new Chat(h.fake, { id: STAFF_ID, is_bot: false, first_name: 'Sam', username: 'sam' });
    const fan = new Chat(h.fake, newUser('en', 'Fan'));
    await fan.message(fan.say('/subscribe'), /subscribed/);
  });
  afterAll(async () => {
    await h.close();
    await fake.close();
  });

  it("previews the model's draft with Confirm and Cancel, and creates nothing on Cancel", async () => {
    const ends = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    fake.respondChat({
      toolCalls: [{ name: 'propose_campaign', arguments: campaignArgs({ segment: 'all', ends_on: ends, code: 'HOODIEFEST' }) }],
    });
    const preview = await seller.message(
      seller.say('/campaign 20% off hoodies until Friday, code HOODIEFEST, announce it on Telegram'),
      /^Campaign draft/,
    );
    expect(textOf(preview)).toContain('Code: HOODIEFEST · 20% off');
    expect(labels(preview)).toEqual(['Confirm: send to 1', 'Cancel']);
    const cancel = seller.tap(preview, 'Cancel');
    await seller.next('editMessageText', cancel.since, (c) => /nothing was created/.test(textOf(c)));
    const store = await h.t.container.services.catalog.store('demo');
    expect(await h.t.container.services.promotions.list(store.id)).toEqual([]);
  });

  it('answers a slow model with the step-by-step /campaign', async () => {
    fake.respondChat({ delayMs: 3_500, toolCalls: [{ name: 'propose_campaign', arguments: campaignArgs() }] });
    await seller.message(
      seller.say('/campaign 10% off mugs for everyone until Sunday'),
      /^The assistant did not answer in time; nothing was created\. Try the step-by-step \/campaign/,
    );
  });
});
