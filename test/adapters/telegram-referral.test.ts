import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramReferrerNotifier } from '../../adapters/telegram/referral-notifier.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { buttonsOf } from '../fakes/telegram-bot-api.ts';
import { adminHeaders, databases, pgSkipReason } from '../helpers/test-app.ts';
import { Chat, newUser, startHarness, type Harness } from './telegram-harness.ts';

describe.each(databases)(`Telegram referrals: /invite and the reward (%s)${pgSkipReason}`, (kind) => {
  let h: Harness;
  let storeId = '';
  const referrers = new TelegramReferrerNotifier();

  /** A purchase through the engine as this Telegram user, paid by the system. */
  async function buyAndPay(userId: number): Promise<number> {
    const turn = (text: string) => h.t.container.services.conversation.handle({ store: 'demo', channel: 'telegram', identity: { externalUserId: String(userId) }, text });
    await turn('cheapest mug');
    await turn('add the first one');
    const number = (await turn('checkout')).find((r) => r.type === 'checkout' && 'orderNumber' in r)?.orderNumber;
    expect(number).toBeGreaterThan(0);
    expect((await h.t.container.services.orders.transition(storeId, String(number), 'paid', 'system')).ok).toBe(true);
    return number as number;
  }

  beforeAll(async () => {
    h = await startHarness(kind, { REFERRAL_REWARD: '5 off' }, undefined, { referrerNotifier: referrers });
    referrers.attach({ api: h.channel.bot.api, t: translator('en'), log: h.t.container.log });
    storeId = (await h.t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => h.close());

  it('gives a personal link; a friend who follows it and pays earns the referrer one code, once', async () => {
    const ann = new Chat(h.fake, newUser('en', 'Ann'));
    const invite = await ann.message(ann.say('/invite'), /your personal link/);
    const link = /https:\/\/t\.me\/\w+\?start=(r-[A-Za-z0-9_-]+)/.exec(String(invite.body.text))?.[1] ?? '';
    expect(link).not.toBe('');
    expect(buttonsOf(invite)[0]?.url).toContain(encodeURIComponent(`?start=${link}`));

    const bob = new Chat(h.fake, newUser('en', 'Bob'));
    await bob.message(bob.say(`/start ${link}`), /Welcome/);
    const since = h.fake.calls.length;
    await buyAndPay(bob.user.id);
    const reward = await ann.message(since, /A friend you invited just placed their first order/);
    const code = /code (REF[0-9A-F]{8})/.exec(String(reward.body.text))?.[1] ?? '';
    expect(code).not.toBe('');
    const promos = (await h.t.call('GET', '/api/v1/stores/demo/promotions', undefined, adminHeaders)).body.items as { code: string; amountOff: number; perCustomerLimit: number; totalLimit: number }[];
    expect(promos.find((p) => p.code === code)).toMatchObject({ amountOff: 500, perCustomerLimit: 1, totalLimit: 1 });

    // A second order by the same friend earns nothing more.
    const before = h.fake.calls.length;
    await buyAndPay(bob.user.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.calls.slice(before).filter((c) => c.body.chat_id === ann.user.id && /friend you invited/.test(String(c.body.text)))).toHaveLength(0);
    expect(((await h.t.call('GET', '/api/v1/stores/demo/promotions', undefined, adminHeaders)).body.items as unknown[]).length).toBe(promos.length);
  });

  it('earns nothing for an existing shopper or for following one’s own link', async () => {
    const cy = new Chat(h.fake, newUser('en', 'Cy'));
    const link = /start=(r-[A-Za-z0-9_-]+)/.exec(String((await cy.message(cy.say('/invite'), /personal link/)).body.text))?.[1] ?? '';
    // Cy follows their own link: no credit recorded.
    await cy.message(cy.say(`/start ${link}`), /Welcome/);
    // Dee was a shopper long before following Cy's link.
    const dee = new Chat(h.fake, newUser('en', 'Dee'));
    await dee.message(dee.say('hi'), /Welcome/);
    await h.t.container.db.customer.updateMany({ where: { identities: { some: { externalUserId: String(dee.user.id) } } }, data: { createdAt: new Date('2025-01-01T00:00:00Z') } });
    await dee.message(dee.say(`/start ${link}`), /Welcome/);
    const since = h.fake.calls.length;
    await buyAndPay(cy.user.id);
    await buyAndPay(dee.user.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.calls.slice(since).filter((c) => /friend you invited/.test(String(c.body.text)))).toHaveLength(0);
  });
});
