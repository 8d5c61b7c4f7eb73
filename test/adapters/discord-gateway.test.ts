import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LimitedCollection } from 'discord.js';
import { startDiscordGateway, type DiscordGateway } from '../../adapters/discord/gateway.ts';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { BOT_USER, FakeDiscord, GUILD_CHANNEL_ID, GUILD_ID } from '../fakes/discord-api.ts';
import { APP_ID, buttonClick, testKeyPair } from '../fakes/discord-interactions.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const BUYER = '300000000000000003';
const author = { id: BUYER, username: 'buyer', global_name: 'Buyer', discriminator: '0', avatar: null };
let n = 0;
const message = (content: string, where: { guild?: boolean; mentions?: object[] } = {}) => ({
  id: String(1_200_000_000_000_000 + ++n),
  channel_id: where.guild ? GUILD_CHANNEL_ID : `dm-${BUYER}`,
  ...(where.guild && { guild_id: GUILD_ID }),
  author,
  content,
  timestamp: new Date().toISOString(),
  edited_timestamp: null,
  tts: false,
  mention_everyone: false,
  mentions: where.mentions ?? [],
  mention_roles: [],
  attachments: [],
  embeds: [],
  pinned: false,
  type: 0,
});

describe('Discord gateway (fake gateway over ws)', () => {
  let t: TestApp;
  let fake: FakeDiscord;
  let gateway: DiscordGateway;

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    t = await createTestApp('sqlite', {
      env: { DISCORD_TOKEN: 'test-bot-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_PUBLIC_KEY: testKeyPair().publicHex, DISCORD_API_ROOT: fake.url, DISCORD_GATEWAY: 'true' },
    });
    await seedDemoStore(t.container.services.catalog);
    gateway = await startDiscordGateway(t.container);
  });
  afterAll(async () => {
    await gateway?.stop();
    await t?.close();
    await fake?.close();
  });

  it('identifies with the intents it needs', () => {
    // Guilds (1) | GuildMessages (512) | DirectMessages (4096) | MessageContent (32768)
    expect(fake.gateway.identified[0]?.intents).toBe(1 | 512 | 4096 | 32768);
    expect(fake.gateway.identified[0]?.token).toBe('test-bot-token');
  });

  it('answers a DM as a text turn in the same channel', async () => {
    fake.gateway.dispatch('MESSAGE_CREATE', message('hoodie'));
    const reply = await fake.waitFor('POST', new RegExp(`^/channels/dm-${BUYER}/messages$`));
    expect(reply.body.embeds.map((e: { title: string }) => e.title)).toContain('Classic Hoodie');
    expect(reply.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers a server message that mentions the bot, and ignores the others', async () => {
    fake.gateway.dispatch('MESSAGE_CREATE', message('mug please'));
    fake.gateway.dispatch('MESSAGE_CREATE', message(`<@${BOT_USER.id}> classic mug`, { guild: true, mentions: [BOT_USER] }));
    const reply = await fake.waitFor('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/messages$`));
    expect(reply.body.message_reference.message_id).toBeDefined();
    expect(reply.body.embeds.map((e: { title: string }) => e.title)).toContain('Classic Mug');
    expect(fake.find('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/messages$`))).toHaveLength(1);
  });

  it('sends a cart asked for in a server channel by DM, never to the channel', async () => {
    const { catalog, customers, carts } = t.container.services;
    const store = await catalog.store('demo');
    const customer = await customers.identify(store.id, { channel: 'discord', externalUserId: BUYER });
    await carts.addItem(store.id, await carts.openId(store, { customerId: customer.id, channel: 'discord' }), 'MUG-CLASSIC', 2);
    fake.gateway.dispatch('MESSAGE_CREATE', message(`<@${BOT_USER.id}> show my cart`, { guild: true, mentions: [BOT_USER] }));
    const note = await fake.waitFor('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/messages$`), (c) => /direct message/.test(String(c.body.content)));
    expect(note.body.embeds).toEqual([]);
    const dm = await fake.waitFor('POST', new RegExp(`^/channels/dm-${BUYER}/messages$`), (c) => /2 × Classic Mug/.test(JSON.stringify(c.body.embeds)));
    expect(dm.body.embeds[0].title).toMatch(/Your cart/);
    expect(fake.find('POST', new RegExp(`^/channels/${GUILD_CHANNEL_ID}/messages$`)).some((c) => /Classic Mug/.test(JSON.stringify(c.body.embeds)) && /cart/i.test(JSON.stringify(c.body.embeds)))).toBe(false);
  });

  it('keeps its caches bounded however many users it sees', async () => {
    const { client } = gateway;
    const channel = client.channels.cache.get(GUILD_CHANNEL_ID);
    const maxSize = (c: unknown) => (c instanceof LimitedCollection ? c.maxSize : null);
    expect(maxSize(channel && 'messages' in channel ? channel.messages.cache : null)).toBe(0);
    expect(maxSize(client.users.cache)).toBe(1000);
    expect(maxSize(client.guilds.cache.get(GUILD_ID)?.members.cache)).toBe(200);
    // 1,500 strangers chatting in the shop channel (no mention: the shop ignores them, discord.js still sees them).
    for (let i = 0; i < 1500; i++) {
      const stranger = { id: String(500_000_000_000_000_000n + BigInt(i)), username: `stranger${i}`, global_name: null, discriminator: '0', avatar: null };
      fake.gateway.dispatch('MESSAGE_CREATE', { ...message(`hello ${i}`, { guild: true }), author: stranger });
    }
    await vi.waitFor(() => expect(client.users.cache.has(String(500_000_000_000_000_000n + 1499n))).toBe(true), { timeout: 10_000, interval: 50 });
    expect(client.users.cache.size).toBeLessThanOrEqual(1000);
    expect(client.users.cache.has(BOT_USER.id)).toBe(true);
    expect(channel && 'messages' in channel ? channel.messages.cache.size : null).toBe(0);
  });

  it('runs interactions from the gateway through the same handler', async () => {
    const click = buttonClick(BUYER, 'forged-id');
    fake.gateway.dispatch('INTERACTION_CREATE', click);
    const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${click.id}/${click.token}/callback$`));
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.content).toMatch(/That button has expired/);
  });
});
