import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramMarketingSender } from '../../adapters/telegram/marketing-sender.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { buttonsOf } from '../fakes/telegram-bot-api.ts';
import { adminHeaders, databases, pgSkipReason } from '../helpers/test-app.ts';
import { Chat, newUser, startHarness, type Harness } from './telegram-harness.ts';

describe.each(databases)(`Telegram: consent, privacy and broadcasts (%s)${pgSkipReason}`, (kind) => {
  let h: Harness;
  let storeId = '';

  beforeAll(async () => {
    // No quiet hours or cap in this test: it is about consent and delivery.
    h = await startHarness(kind, { MARKETING_QUIET_HOURS: 'off', MARKETING_MAX_PER_DAY: '0' });
    storeId = (await h.t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => h.close());

  const customerOf = (userId: number) => h.t.container.services.customers.identify(storeId, { channel: 'telegram', externalUserId: String(userId) });

  it('subscribes, receives a broadcast with Buy and Unsubscribe, and unsubscribes from it', async () => {
    const ann = new Chat(h.fake, newUser());
    const bob = new Chat(h.fake, newUser('en', 'Bob'));
    const never = new Chat(h.fake, newUser('en', 'Cy'));
    await ann.message(ann.say('/subscribe'), /subscribed to offers/);
    await bob.message(bob.say('/start promos'), /subscribed to offers/);
    await bob.message(bob.say('/subscribe'), /already subscribed/);
    await never.message(never.say('hi'), /Welcome/);

    const draft = await h.t.call('POST', '/api/v1/stores/demo/broadcasts', { text: 'Mugs 20% off today', product: 'classic-mug', segment: 'telegram' }, adminHeaders);
    expect(draft.status).toBe(201);
    expect(draft.body.recipients).toEqual({ telegram: 2, discord: 0 });
    expect(draft.body.broadcast.segment).toBe('all subscribers on telegram');
    const id = draft.body.broadcast.id as string;
    expect((await h.t.call('POST', `/api/v1/stores/demo/broadcasts/${id}/confirm`, {}, adminHeaders)).status).toBe(200);

    const since = h.fake.calls.length;
    const runner = h.t.container.broadcastRunner([new TelegramMarketingSender(h.channel.bot.api, translator('en'))]);
    await runner.tick();
    const offer = await ann.message(since, /Mugs 20% off/);
    expect(buttonsOf(offer).map((b) => b.text)).toEqual([expect.stringMatching(/^Buy · Classic Mug · /), 'Unsubscribe']);
    await bob.message(since, /Mugs 20% off/);
    await runner.tick();
    expect(h.fake.calls.slice(since).filter((c) => c.method === 'sendMessage' && /Mugs 20%/.test(String(c.body.text)))).toHaveLength(2);
    const progress = await h.t.call('GET', `/api/v1/stores/demo/broadcasts/${id}`, undefined, adminHeaders);
    expect(progress.body.broadcast).toMatchObject({ status: 'done', sent: 2, failed: 0 });

    const tap = ann.tap(offer, 'Unsubscribe');
    await ann.message(tap.since, /no more offers/);
    expect(await h.t.container.services.consent.status((await customerOf(ann.user.id)).id, 'telegram')).toBe('unsubscribed');
    await ann.message(ann.say('/stop'), /not subscribed/);
    // The Buy button opens the product, and the click is credited to the broadcast with the order that follows.
    const buy = ann.tap(offer, /^Buy/);
    await h.fake.waitForCall('sendPhoto', { since: buy.since, chatId: ann.user.id });
    await buy.answered();
    const turn = (text: string) => h.t.container.services.conversation.handle({ store: 'demo', channel: 'telegram', identity: { externalUserId: String(ann.user.id) }, text });
    await turn('add 2 of those');
    const number = (await turn('checkout')).find((r) => r.type === 'checkout' && 'orderNumber' in r)?.orderNumber;
    expect((await h.t.container.services.orders.transition(storeId, String(number), 'paid', 'system')).ok).toBe(true);
    const results = await h.t.call('GET', `/api/v1/stores/demo/broadcasts/${id}`, undefined, adminHeaders);
    expect(results.body.results).toMatchObject({ clicks: 1, orders: 1, revenue: [{ amount: expect.any(Number), currency: 'EUR' }] });
    expect(results.body.results.revenue[0].amount).toBeGreaterThan(0);
    // /stats credits the broadcast among the top campaigns.
    const stats = await h.t.call('GET', '/api/v1/stores/demo/stats?days=7', undefined, adminHeaders);
    expect(stats.body.topCampaigns).toContainEqual({ name: 'broadcast:Mugs 20% off today', shoppers: 1, orders: 1, revenue: results.body.results.revenue });
    expect(stats.body.lines).toContain('Top campaigns:');
  });

  it('shows what is kept and erases it after a confirmation', async () => {
    const dee = new Chat(h.fake, newUser('en', 'Dee'));
    await dee.message(dee.say('/subscribe'), /subscribed/);
    const report = await dee.message(dee.say('/privacy'), /What this shop keeps about you/);
    expect(String(report.body.text)).toMatch(/Offers by message: telegram: subscribed/);
    const ask = dee.tap(report, 'Erase my data');
    const question = await dee.message(ask.since, /erases your profile/);
    const before = (await customerOf(dee.user.id)).id;
    // A forged confirmation token does nothing.
    const forged = dee.press('1F:not-the-token', question.result as never);
    await dee.message(forged.since, /button is no longer valid|not valid|expired|old/i);
    const yes = dee.tap(question, 'Yes, erase');
    await dee.message(yes.since, /personal data is erased/);
    expect((await h.t.call('GET', `/api/v1/stores/demo/customers/${before}`, undefined, adminHeaders)).status).toBe(404);
    // Writing again starts afresh, as a new, unsubscribed shopper.
    await dee.message(dee.say('hi'), /Welcome/);
    const after = await customerOf(dee.user.id);
    expect(after.id).not.toBe(before);
    expect(await h.t.container.services.consent.status(after.id, 'telegram')).toBe('unknown');
  });
});
