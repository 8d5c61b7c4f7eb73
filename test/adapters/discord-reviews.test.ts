import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordMarketingSender } from '../../adapters/discord/marketing-sender.ts';
import { createDiscordRest } from '../../adapters/discord/rest.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { buttonClick, slash } from '../fakes/discord-interactions.ts';
import { checkoutCart, setAutomations } from '../helpers/automation-kit.ts';
import { databases, pgSkipReason } from '../helpers/test-app.ts';
import { discordHarness, text, type DiscordHarness, type Row } from './discord-harness.ts';

const DAY = 24 * 3600_000;

describe.each(databases)(`Discord: the review request's stars by DM (%s)${pgSkipReason}`, (kind) => {
  let h: DiscordHarness;

  beforeAll(async () => {
    h = await discordHarness(kind, { MARKETING_QUIET_HOURS: 'off', MARKETING_MAX_PER_DAY: '0' });
  });
  afterAll(() => h.close());

  it('draws a row of five stars above Unsubscribe; pressing ★4 records the rating', async () => {
    const user = '710000000000000031';
    expect(text((await h.send(slash(user, 'subscribe'))).body.data)).toMatch(/subscribed to offers/);
    const { catalog, customers, carts, orders } = h.t.container.services;
    const store = await catalog.store('demo');
    const customer = await customers.identify(store.id, { channel: 'discord', externalUserId: user });
    const cart = await carts.open(store, { customerId: customer.id, channel: 'discord' });
    expect((await carts.addItem(store.id, cart.id, 'MUG-CLASSIC', 1)).ok).toBe(true);
    const { order } = (await checkoutCart(h.t, cart.id, 'discord-review')) as { order: { id: string; number: number } };
    for (const to of ['paid', 'fulfilled', 'delivered'] as const)
      expect((await orders.transition(store.id, order.id, to, 'test')).ok).toBe(true);
    // Delivered eight days ago (the runner here runs on the real clock).
    await h.t.container.db.orderEvent.updateMany({
      where: { orderId: order.id, toStatus: 'delivered' },
      data: { createdAt: new Date(Date.now() - 8 * DAY) },
    });
    await setAutomations(h.t, { reviewRequest: { enabled: true, delayDays: 7 } });

    const rest = createDiscordRest({ apiRoot: h.fake.url, token: 'test-bot-token', retries: 0 });
    await h.t.container.automationRunner([new DiscordMarketingSender(rest, translator('en'), 1000)]).tick();
    const dm = await h.fake.waitFor('POST', new RegExp(`^/channels/dm-${user}/messages$`), (c) =>
      /Tap the stars/.test(String((c.body as { content?: string }).content)),
    );
    const body = dm.body as { content?: string; components?: Row[] };
    expect(body.content).toMatch(new RegExp(`order #${order.number}\\? Tap the stars to rate Classic Mug`));
    const rows = body.components ?? [];
    expect(rows.map((r) => r.components.map((b) => b.label))).toEqual([['1★', '2★', '3★', '4★', '5★'], ['Unsubscribe']]);

    const pressed = await h.send(buttonClick(user, rows[0]?.components[3]?.custom_id ?? ''));
    expect(text(pressed.body.data)).toMatch(/Thanks for rating Classic Mug ★★★★☆/);
    expect(await h.t.container.db.productReview.findMany({ where: { orderId: order.id } })).toEqual([
      expect.objectContaining({ customerId: customer.id, rating: 4 }),
    ]);
  });
});
