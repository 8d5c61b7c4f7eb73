import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordMarketingSender } from '../../adapters/discord/marketing-sender.ts';
import { createDiscordRest } from '../../adapters/discord/rest.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { buttonClick, slash } from '../fakes/discord-interactions.ts';
import { adminHeaders, databases, pgSkipReason } from '../helpers/test-app.ts';
import { discordHarness, ephemeral, text, type DiscordHarness } from './discord-harness.ts';

describe.each(databases)(`Discord: consent and broadcasts by DM (%s)${pgSkipReason}`, (kind) => {
  let h: DiscordHarness;

  beforeAll(async () => {
    h = await discordHarness(kind, { MARKETING_QUIET_HOURS: 'off' });
  });
  afterAll(() => h.close());

  it('opts in with /subscribe, gets the offer by DM with Unsubscribe, and a user who refuses DMs is counted blocked', async () => {
    const ok = await h.send(slash('710000000000000001', 'subscribe'));
    expect(ephemeral(ok.body.data)).toBe(true);
    expect(text(ok.body.data)).toMatch(/subscribed to offers/);
    await h.send(slash('710000000000000002', 'subscribe'));
    const none = await h.send(slash('710000000000000003', 'stop'));
    expect(text(none.body.data)).toMatch(/not subscribed/);

    const draft = await h.t.call('POST', '/api/v1/stores/demo/broadcasts', { text: 'New drop: enamel mugs', segment: 'discord' }, adminHeaders);
    expect(draft.body.recipients).toEqual({ telegram: 0, discord: 2 });
    await h.t.call('POST', `/api/v1/stores/demo/broadcasts/${String(draft.body.broadcast.id)}/confirm`, {}, adminHeaders);

    // The second subscriber does not accept DMs from the bot.
    h.fake.script({ method: 'POST', path: /^\/channels\/dm-710000000000000002\/messages$/, status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } });
    const rest = createDiscordRest({ apiRoot: h.fake.url, token: 'test-bot-token', retries: 0 });
    const runner = h.t.container.broadcastRunner([new DiscordMarketingSender(rest, translator('en'), 1000)]);
    await runner.tick();
    await runner.tick();
    const dm = await h.fake.waitFor('POST', /^\/channels\/dm-710000000000000001\/messages$/);
    expect((dm.body as { content?: string }).content).toBe('New drop: enamel mugs');
    const row = ((dm.body as { components?: { components: { label?: string; custom_id?: string }[] }[] }).components ?? [])[0]?.components ?? [];
    expect(row.map((b) => b.label)).toEqual(['Unsubscribe']);
    const progress = await h.t.call('GET', `/api/v1/stores/demo/broadcasts/${String(draft.body.broadcast.id)}`, undefined, adminHeaders);
    expect(progress.body.broadcast).toMatchObject({ status: 'done', sent: 1, blocked: 1 });

    // Pressing Unsubscribe in the DM takes effect at once.
    const off = await h.send(buttonClick('710000000000000001', row[0]?.custom_id ?? '', { ephemeral: true }));
    expect(text(off.body.data)).toMatch(/no more offers/);
    // Refusing DMs suppresses them from now on.
    const cy = await h.t.container.db.channelIdentity.findFirst({ where: { channel: 'discord', externalUserId: '710000000000000002' } });
    expect(cy?.unreachableAt).toBeInstanceOf(Date);
  });

  it('sends an announcement longer than a Discord message whole, as an embed with its image', async () => {
    await h.send(slash('710000000000000005', 'subscribe'));
    const long = `${'Our winter collection is here. '.repeat(80).trim()} The end.`;
    expect(long.length).toBeGreaterThan(2000);
    const draft = await h.t.call('POST', '/api/v1/stores/demo/broadcasts', { text: long, imageUrl: 'https://img.example/winter.png', segment: 'discord' }, adminHeaders);
    expect(draft.status).toBe(201);
    await h.t.call('POST', `/api/v1/stores/demo/broadcasts/${String(draft.body.broadcast.id)}/confirm`, {}, adminHeaders);
    const rest = createDiscordRest({ apiRoot: h.fake.url, token: 'test-bot-token', retries: 0 });
    await h.t.container.broadcastRunner([new DiscordMarketingSender(rest, translator('en'), 1000)]).tick();
    const dm = await h.fake.waitFor('POST', /^\/channels\/dm-710000000000000005\/messages$/);
    const body = dm.body as { content?: string; embeds?: { description?: string; image?: { url: string } }[] };
    expect(body.content ?? '').toBe('');
    expect(body.embeds).toEqual([{ description: long, image: { url: 'https://img.example/winter.png' } }]);
  });

  it('shows /privacy privately', async () => {
    const r = await h.send(slash('710000000000000004', 'privacy'));
    expect(ephemeral(r.body.data)).toBe(true);
    expect(text(r.body.data)).toMatch(/What this shop keeps about you/);
  });
});
