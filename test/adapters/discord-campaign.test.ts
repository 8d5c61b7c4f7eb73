import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { slashCommands } from '../../adapters/discord/commands.ts';
import { FakeOpenAI } from '../fakes/openai-api.ts';
import { buttonClick, modalSubmit, slash } from '../fakes/discord-interactions.ts';
import { campaignArgs } from '../helpers/campaign-kit.ts';
import { databases, pgSkipReason } from '../helpers/test-app.ts';
import { buttons, discordHarness, ephemeral, menu, modalInputs, text, type Answer, type Component, type Data, type DiscordHarness, type ModalData } from './discord-harness.ts';

const STAFF = '330000000000000001';
const SHOPPER = '330000000000000002';
const SUBSCRIBER = '330000000000000003';
const STALE = 'This campaign draft has expired or is not yours. Start again with /campaign.';
const NOT_OURS = 'That button is not one I made; nothing was done.';

const labels = (d: Data | undefined) => buttons(d).map((b) => b.label);
const byLabel = (d: Data | undefined, label: string | RegExp): Component => {
  const b = buttons(d).find((x) => (typeof label === 'string' ? x.label === label : label.test(x.label ?? '')));
  if (!b?.custom_id) throw new Error(`no button ${String(label)} in ${JSON.stringify(labels(d))}`);
  return b;
};
const ids = (d: Data | undefined) => (d?.components ?? []).flatMap((r) => r.components).map((c) => c.custom_id ?? '');

describe('Discord /campaign as registered', () => {
  it('is one command with an optional text option, within Discord limits', () => {
    const all = slashCommands() as { name: string; description: string; options?: { name: string; description: string; required?: boolean; max_length?: number }[] }[];
    const campaign = all.find((c) => c.name === 'campaign');
    expect(campaign?.options?.map((o) => [o.name, o.required ?? false])).toEqual([['text', false]]);
    for (const o of [campaign, ...(campaign?.options ?? [])]) expect(o?.description.length).toBeLessThanOrEqual(100);
  });
});

describe.each(databases)(`Discord /campaign step by step, without a language model (%s)${pgSkipReason}`, (kind) => {
  let h: DiscordHarness;
  const promotions = () => h.t.container.services.promotions.list(h.storeId);
  const broadcasts = () => h.t.container.services.broadcasts.list(h.storeId, 10);
  /** A press on a component of the (ephemeral) message `on`. */
  const press = (on: Answer, label: string | RegExp, user = STAFF) => h.send(buttonClick(user, byLabel(on.body.data, label).custom_id ?? '', { ephemeral: true }));

  beforeAll(async () => {
    h = await discordHarness(kind, { SELLER_IDS: `discord:${STAFF}`, MARKETING_QUIET_HOURS: 'off' });
    await h.send(slash(SUBSCRIBER, 'subscribe'));
  }, 60_000);
  afterAll(() => h?.close());

  it('refuses shoppers, logs the attempt, and creates nothing', async () => {
    const warn = vi.spyOn(h.t.container.log, 'warn');
    const r = await h.send(slash(SHOPPER, 'campaign', [{ type: 3, name: 'text', value: '90% off everything' }]));
    expect(ephemeral(r.body.data)).toBe(true);
    expect(r.body.data?.content).toBe('Sorry, that is for the shop staff only.');
    expect(warn).toHaveBeenCalledWith({ discordUser: SHOPPER, attempted: '/campaign' }, 'seller command refused: not staff');
    warn.mockRestore();
    expect(await promotions()).toEqual([]);
  });

  it('wizard → announcement form → preview with the count → Confirm creates promotion and broadcast once', async () => {
    const what = await h.send(slash(STAFF, 'campaign', [{ type: 3, name: 'text', value: '20% off hoodies for everyone' }]));
    expect(ephemeral(what.body.data)).toBe(true);
    expect(what.body.data?.content).toMatch(/^Campaigns from a sentence need a language model \(OPENAI_API_KEY\); let us build it step by step\.\n\nNew campaign \(step 1 of 6\)/);
    expect(labels(what.body.data)).toEqual(['10% off', '20% off', '30% off', 'Free shipping', 'Buy 2 get 1 free', 'Cancel']);
    for (const id of ids(what.body.data)) expect(id).toMatch(/^d:cp:[0-9a-f]{12}:(s0:\d|x)$/);

    const on = await press(what, '20% off');
    expect(on.body.type).toBe(7); // edited in place
    expect(on.body.data?.content).toMatch(/^Step 2 of 6 — on what\?/);
    // Eight choices: a select menu.
    const onMenu = (on.body.data?.components ?? []).flatMap((r) => r.components).find((c) => c.type === 3);
    expect(onMenu?.options?.[0]?.label).toBe('Everything');
    expect(onMenu?.options?.map((o) => o.label).sort()).toEqual(['Accessories', 'Apparel', 'Coffee', 'Drinkware', 'Everything', 'Hoodies', 'Stationery', 'T-shirts']);
    const hoodies = onMenu?.options?.find((o) => o.label === 'Hoodies')?.value ?? '';

    // A button of the step before, pressed again: the wizard stays where it is.
    const back = await press(what, '30% off');
    expect(back.body.data?.content).toMatch(/^That button is from an earlier step\.\n\nStep 2 of 6/);

    const who = await h.send(buttonClick(STAFF, onMenu?.custom_id ?? '', { ephemeral: true, values: [hoodies] }));
    expect(who.body.data?.content).toMatch(/^Step 3 of 6/);
    expect(menu(on.body.data, onMenu?.custom_id ?? '')).toBeDefined();
    const where = await press(who, 'All subscribers');
    const until = await press(where, 'Discord only');
    const last = await press(until, '3 days');
    expect(last.body.data?.content).toMatch(/^Step 6 of 6 — type the announcement/);
    expect(labels(last.body.data)).toEqual(['Write the announcement', 'Cancel']);

    const open = await press(last, 'Write the announcement');
    expect(open.body.type).toBe(9);
    const form = open.body.data as unknown as ModalData;
    expect(form.title).toBe('Campaign announcement');
    expect(modalInputs(form)).toEqual({ text: '' });

    // An empty announcement is refused with the form again.
    const empty = await h.send(modalSubmit(STAFF, form.custom_id, { text: '   ' }));
    expect(empty.body.data?.content).toMatch(/text: the announcement is empty\n\nWrite the announcement again, or Cancel\.$/);
    expect(labels(empty.body.data)).toEqual(['Write the announcement', 'Cancel']);

    const preview = await h.send(modalSubmit(STAFF, form.custom_id, { text: 'Hoodie days: 20% off every hoodie!' }));
    expect(ephemeral(preview.body.data)).toBe(true);
    const shown = text(preview.body.data);
    expect(shown).toMatch(/^Campaign draft — nothing is created until you confirm\.$/m);
    expect(shown).toMatch(/^Code: HOODIES20-[A-Z2-9]{3} · 20% off · until \d{4}-\d{2}-\d{2}$/m);
    expect(shown).toContain('On: Hoodies (category) — 3 products for sale: ');
    expect(shown).toContain('Who: all subscribers on discord — 1 recipient (Telegram 0, Discord 1)');
    const code = /Code: (HOODIES20-[A-Z2-9]{3})/.exec(shown)?.[1] ?? '';
    expect(shown).toContain(`Hoodie days: 20% off every hoodie!\n\nCode: ${code}`);
    expect(labels(preview.body.data)).toEqual(['Confirm: send to 1', 'Cancel']);
    expect(await promotions()).toEqual([]);
    expect(await broadcasts()).toEqual([]);

    // Forged and foreign presses: refused, nothing created.
    const made = await h.send(buttonClick(STAFF, 'd:cp:0123456789ab:c', { ephemeral: true }));
    expect(made.body.data?.content).toBe(STALE);
    expect((await h.send(buttonClick(STAFF, 'd:cp:not-a-session:c', { ephemeral: true }))).body.data?.content).toBe(NOT_OURS);
    expect((await h.send(buttonClick(STAFF, form.custom_id, { ephemeral: true }))).body.data?.content).toBe(NOT_OURS);
    const confirmId = byLabel(preview.body.data, /^Confirm/).custom_id ?? '';
    expect((await h.send(buttonClick(SHOPPER, confirmId, { ephemeral: true }))).body.data?.content).toBe('Sorry, that is for the shop staff only.');
    expect((await h.send(modalSubmit(SHOPPER, form.custom_id, { text: 'sneaky' }))).body.data?.content).toBe('Sorry, that is for the shop staff only.');
    expect(await promotions()).toEqual([]);

    const done = await h.send(buttonClick(STAFF, confirmId, { ephemeral: true }));
    expect(done.body.type).toBe(7);
    expect(done.body.data?.content).toMatch(new RegExp(`^Campaign on: code ${code} · 20% off · until .*\\nAnnouncement sending to 1 subscriber\\(s\\)`));
    expect(buttons(done.body.data)).toEqual([]);
    const promos = await promotions();
    expect(promos.map((p) => [p.code, p.active, p.categoryIds.length])).toEqual([[code, true, 1]]);
    const [broadcast, ...more] = await broadcasts();
    expect(more).toEqual([]);
    expect(broadcast).toMatchObject({ status: 'sending', recipients: 1, text: `Hoodie days: 20% off every hoodie!\n\nCode: ${code}`, createdBy: `staff:discord:${STAFF}` });

    // A second click shows the same outcome and creates nothing new (a redelivered interaction is not even run: see discord.test.ts).
    const again = await h.send(buttonClick(STAFF, confirmId, { ephemeral: true }));
    expect(again.body.data?.content).toBe(done.body.data?.content);
    expect(await promotions()).toHaveLength(1);
    expect(await broadcasts()).toHaveLength(1);
    // The wizard's form is gone with it.
    expect((await h.send(modalSubmit(STAFF, form.custom_id, { text: 'Once more' }))).body.data?.content).toBe(STALE);
  });

  it('Cancel discards the wizard; its buttons are stale afterwards and nothing is created', async () => {
    const what = await h.send(slash(STAFF, 'campaign'));
    expect(what.body.data?.content).toMatch(/^New campaign \(step 1 of 6\)/);
    const cancelled = await press(what, 'Cancel');
    expect(cancelled.body.type).toBe(7);
    expect(cancelled.body.data?.content).toBe('Campaign cancelled — nothing was created.');
    expect(buttons(cancelled.body.data)).toEqual([]);
    expect((await press(what, '10% off')).body.data?.content).toBe(STALE);
    expect(await promotions()).toHaveLength(1);
  });
});

describe.each(databases)(`Discord /campaign from a sentence with a language model (%s)${pgSkipReason}`, (kind) => {
  let h: DiscordHarness;
  let ai: FakeOpenAI;
  const promotions = () => h.t.container.services.promotions.list(h.storeId);
  const broadcasts = () => h.t.container.services.broadcasts.list(h.storeId, 10);
  const ends = () => new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const campaign = (sentence: string) => h.send(slash(STAFF, 'campaign', [{ type: 3, name: 'text', value: sentence }]));

  beforeAll(async () => {
    ai = await new FakeOpenAI().start();
    h = await discordHarness(kind, {
      SELLER_IDS: `discord:${STAFF}`,
      MARKETING_QUIET_HOURS: 'off',
      OPENAI_API_KEY: 'sk-test-fake',
      OPENAI_BASE_URL: ai.baseURL,
      OPENAI_TIMEOUT_MS: '1500',
    });
    await h.send(slash(SUBSCRIBER, 'subscribe'));
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await ai?.close();
  });

  it("previews the model's draft (the model asked with the strict tool), and Cancel creates nothing", async () => {
    ai.respondChat({ toolCalls: [{ name: 'propose_campaign', arguments: campaignArgs({ segment: 'all', channel: 'discord', ends_on: ends(), code: 'HOODIEFEST' }) }] });
    const preview = await campaign("20% off hoodies for everyone until Friday, code HOODIEFEST, announce it on Discord");
    expect(ephemeral(preview.body.data)).toBe(true);
    const shown = text(preview.body.data);
    expect(shown).toContain('Code: HOODIEFEST · 20% off');
    expect(shown).toContain('On: Hoodies (category) — 3 products for sale');
    expect(shown).toContain('Who: all subscribers on discord — 1 recipient (Telegram 0, Discord 1)');
    expect(shown).toContain('20% off every hoodie until Friday!\n\nCode: HOODIEFEST');
    expect(labels(preview.body.data)).toEqual(['Confirm: send to 1', 'Cancel']);
    const asked = ai.chatRequests().at(-1) as { tools?: { function: { name: string; strict?: boolean } }[]; messages?: { content: string }[] };
    expect(asked.tools?.map((t) => [t.function.name, t.function.strict])).toEqual([['propose_campaign', true]]);
    expect(JSON.stringify(asked.messages)).toContain('code HOODIEFEST, announce it on Discord');

    const cancelled = await h.send(buttonClick(STAFF, byLabel(preview.body.data, 'Cancel').custom_id ?? '', { ephemeral: true }));
    expect(cancelled.body.data?.content).toBe('Campaign cancelled — nothing was created.');
    // Confirm pressed after Cancel: the cancellation stands.
    expect((await h.send(buttonClick(STAFF, byLabel(preview.body.data, /^Confirm/).custom_id ?? '', { ephemeral: true }))).body.data?.content).toBe('Campaign cancelled — nothing was created.');
    expect(await promotions()).toEqual([]);
    expect(await broadcasts()).toEqual([]);
  });

  it('two Confirm presses at the same moment create one promotion and one broadcast', async () => {
    ai.respondChat({ toolCalls: [{ name: 'propose_campaign', arguments: campaignArgs({ segment: 'all', channel: 'all', ends_on: ends(), code: 'TWICE20' }) }] });
    const preview = await campaign('20% off hoodies for everyone for three days, code TWICE20');
    const confirmId = byLabel(preview.body.data, /^Confirm/).custom_id ?? '';
    const [a, b] = await Promise.all([0, 1].map(() => h.send(buttonClick(STAFF, confirmId, { ephemeral: true }))));
    for (const r of [a, b]) expect(r?.body.data?.content).toMatch(/^Campaign on: code TWICE20 · 20% off/);
    expect((await promotions()).map((p) => p.code)).toEqual(['TWICE20']);
    expect(await broadcasts()).toHaveLength(1);
  });

  it('a model that does not answer in time leads to the step-by-step /campaign', async () => {
    ai.respondChat({ delayMs: 3_000, toolCalls: [{ name: 'propose_campaign', arguments: campaignArgs() }] });
    const slow = slash(STAFF, 'campaign', [{ type: 3, name: 'text', value: '10% off mugs for everyone until Sunday' }]);
    const r = await h.send(slow);
    expect(r.body.data?.content).toMatch(/^The assistant did not answer in time; nothing was created\. Try the step-by-step \/campaign/);
    // Discord got a deferral at once; the answer came through the interaction webhook.
    expect(h.fake.find('PATCH', new RegExp(`^/webhooks/\\d+/${slow.token}/messages/@original$`))).toHaveLength(1);
    expect(ephemeral(r.body.data)).toBe(true);
  });
});
