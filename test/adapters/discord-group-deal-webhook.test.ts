import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordGroupDealNotifier } from '../../adapters/discord/group-deal-notifier.ts';
import { createDiscordRest } from '../../adapters/discord/rest.ts';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { buttonClick, slash } from '../fakes/discord-interactions.ts';
import { databases, pgSkipReason } from '../helpers/test-app.ts';
import { discordHarness, ephemeral, text, type DiscordHarness } from './discord-harness.ts';

const STAFF = '300000000000000042';
const CHANNEL = '550000000000000042';
type Body = { content?: string; components?: { components: { custom_id?: string; label?: string }[] }[] };

describe.each(databases)(`Discord /groupbuy through the interactions endpoint (%s)${pgSkipReason}`, (kind) => {
  let h: DiscordHarness;

  beforeAll(async () => {
    h = await discordHarness(kind, { SELLER_IDS: `discord:${STAFF}` });
    const notifier = new DiscordGroupDealNotifier();
    notifier.attach({ rest: createDiscordRest({ apiRoot: h.fake.url, token: 'test-bot-token', retries: 0 }), customers: h.t.container.services.customers, locale: 'en', log: h.t.container.log });
    h.t.container.services.groupDeals.addNotifier(notifier);
  });
  afterAll(() => h.close());

  it('staff post a deal to a channel; a member joins with the button, privately answered; others cannot post', async () => {
    const options = [
      { type: ApplicationCommandOptionType.String, name: 'product', value: 'classic-mug' },
      { type: ApplicationCommandOptionType.String, name: 'price', value: '9.00' },
      { type: ApplicationCommandOptionType.Integer, name: 'people', value: 3 },
      { type: ApplicationCommandOptionType.String, name: 'duration', value: '6h' },
      { type: ApplicationCommandOptionType.Channel, name: 'channel', value: CHANNEL },
    ];
    const refused = await h.send(slash('300000000000000077', 'groupbuy', options));
    expect(text(refused.body.data)).toMatch(/staff only/i);
    const posted = await h.send(slash(STAFF, 'groupbuy', options));
    expect(ephemeral(posted.body.data)).toBe(true);
    const post = await h.fake.waitFor('POST', new RegExp(`^/channels/${CHANNEL}/messages$`));
    const join = ((post.body as Body).components ?? []).flatMap((r) => r.components).find((b) => /join/i.test(b.label ?? ''));
    expect(join?.custom_id).toMatch(/^gd:/);
    const joined = await h.send(buttonClick('300000000000000088', join?.custom_id ?? ''));
    expect(ephemeral(joined.body.data)).toBe(true);
    const deals = await h.t.container.db.groupDealMember.count();
    expect(deals).toBe(1);
  });
});
