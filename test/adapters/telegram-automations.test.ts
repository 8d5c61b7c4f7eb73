import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramMarketingSender } from '../../adapters/telegram/marketing-sender.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { buttonsOf } from '../fakes/telegram-bot-api.ts';
import { adminHeaders, databases, pgSkipReason } from '../helpers/test-app.ts';
import { Chat, labels, newUser, startHarness, type Harness } from './telegram-harness.ts';

describe.each(databases)(`Telegram: "Notify me" and the back-in-stock alert (%s)${pgSkipReason}`, (kind) => {
  let h: Harness;
  let productId = '';

  beforeAll(async () => {
    // No quiet hours or cap here: the test runs at any time of day.
    h = await startHarness(kind, { MARKETING_QUIET_HOURS: 'off', MARKETING_MAX_PER_DAY: '0' });
    productId = (await h.t.container.services.catalog.product((await h.t.container.services.catalog.store('demo')).id, 'classic-mug')).id;
  });
  afterAll(() => h.close());

  /** Opens the product in the chat (its deep link) and returns the card, a photo with buttons. */
  const openProduct = async (chat: Chat) => {
    const since = chat.say(`/start p_${productId}`); // the product's deep link
    return h.fake.waitForCall('sendPhoto', { chatId: chat.user.id, since, test: (c) => /Classic Mug/.test(String(c.body.caption)) });
  };

  it('a sold-out variant offers "Notify me"; the restock sends one alert whose button opens the product', async () => {
    expect((await h.t.call('PUT', '/api/v1/stores/demo/inventory/MUG-CLASSIC', { onHand: 0 }, adminHeaders)).status).toBe(200);
    const ann = new Chat(h.fake, newUser('en', 'Ann'));
    const li = new Chat(h.fake, newUser('zh-CN', 'Li'));
    await ann.message(ann.say('hi'), /Welcome/);

    const card = await openProduct(ann);
    expect(labels(card)).toContain('🔔 Notify me');
    const tap = ann.tap(card, '🔔 Notify me');
    await ann.message(tap.since, /We'll tell you when it's back: Classic Mug/);
    const again = ann.tap(card, '🔔 Notify me');
    await ann.message(again.since, /already on the list/);

    const zhCard = await openProduct(li);
    const zhTap = li.tap(zhCard, '🔔 到货通知');
    await li.message(zhTap.since, /到货后我们会通知你/);

    const runner = h.t.container.automationRunner([new TelegramMarketingSender(h.channel.bot.api, translator('en'))]);
    const before = h.fake.calls.length;
    await runner.tick();
    expect(h.fake.calls.slice(before).filter((c) => c.method === 'sendMessage')).toHaveLength(0); // still sold out

    expect((await h.t.call('PUT', '/api/v1/stores/demo/inventory/MUG-CLASSIC', { onHand: 4 }, adminHeaders)).status).toBe(200);
    const since = h.fake.calls.length;
    await runner.tick();
    const alert = await ann.message(since, /Classic Mug is back in stock/);
    await li.message(since, /已到货/);
    expect(buttonsOf(alert).map((b) => b.text)).toEqual([expect.stringMatching(/^Buy · Classic Mug · /), 'Unsubscribe']);
    await runner.tick();
    const alerts = h.fake.calls.slice(since).filter((c) => c.method === 'sendMessage' && /back in stock|已到货/.test(String(c.body.text)));
    expect(alerts).toHaveLength(2);

    const buy = ann.tap(alert, /^Buy/);
    const reopened = await h.fake.waitForCall('sendPhoto', { since: buy.since, chatId: ann.user.id });
    expect(labels(reopened)).not.toContain('🔔 Notify me');
  });
});
