import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordOrderNotifier } from '../../adapters/discord/notifier.ts';
import { createDiscordRest } from '../../adapters/discord/rest.ts';
import { DiscordStaffNotifier } from '../../adapters/discord/staff-notifier.ts';
import { TelegramOrderNotifier } from '../../adapters/telegram/notifier.ts';
import { TelegramStaffNotifier } from '../../adapters/telegram/staff-notifier.ts';
import { shopRef } from '../../adapters/telegram/telegram.types.ts';
import { loadConfig } from '../../src/config/env.ts';
import type { ConversationInput, Reply } from '../../src/conversation/conversation.types.ts';
import { CompositeOrderNotifier } from '../../src/orders/composite-notifier.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { FakeDiscord } from '../fakes/discord-api.ts';
import { buttonsOf, FakeTelegramApi } from '../fakes/telegram-bot-api.ts';
import { createShop, demoDecide, demoPage, orderOf } from '../helpers/shop.ts';
import { adminHeaders, createTestApp, type TestApp } from '../helpers/test-app.ts';

const TOKEN = '4343:AAFakeTokenForStaffNoticeTests_012345';
const STAFF_CHAT = '-1001234567890';
const DEFAULT_DISCORD_CHANNEL = '555000111222';

describe('STAFF_NOTIFY', () => {
  const base = { TELEGRAM_BOT_TOKEN: TOKEN, DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: '123456', DISCORD_PUBLIC_KEY: 'a'.repeat(64) };
  it('parses telegram and discord targets', () => {
    expect(loadConfig({ ...base, STAFF_NOTIFY: 'telegram:-100123, discord:987654' }).STAFF_NOTIFY).toEqual({ telegram: '-100123', discord: '987654' });
    expect(loadConfig({ ...base, STAFF_NOTIFY: 'telegram:@shopstaff' }).STAFF_NOTIFY).toEqual({ telegram: '@shopstaff' });
    expect(loadConfig({}).STAFF_NOTIFY).toEqual({});
  });
  it('refuses bad targets and targets whose channel is off, naming the key', () => {
    expect(() => loadConfig({ ...base, STAFF_NOTIFY: 'slack:1' })).toThrow(/STAFF_NOTIFY: "slack:1" is not telegram/);
    expect(() => loadConfig({ ...base, STAFF_NOTIFY: 'telegram:1,telegram:2' })).toThrow(/STAFF_NOTIFY: more than one telegram target/);
    expect(() => loadConfig({ STAFF_NOTIFY: 'telegram:-100123' })).toThrow(/TELEGRAM_BOT_TOKEN: required for STAFF_NOTIFY/);
  });
});

describe('staff and buyer notices over the real grammY and discord.js clients against fakes', () => {
  let t: TestApp;
  let tg: FakeTelegramApi;
  let dc: FakeDiscord;
  const tgBuyer = new TelegramOrderNotifier();
  const dcBuyer = new DiscordOrderNotifier();
  const tgStaff = new TelegramStaffNotifier();
  const dcStaff = new DiscordStaffNotifier();

  beforeAll(async () => {
    tg = await FakeTelegramApi.start({ token: TOKEN });
    dc = await new FakeDiscord().start();
    t = await createTestApp('sqlite', { notifier: new CompositeOrderNotifier([tgBuyer, dcBuyer, tgStaff, dcStaff], createLogger('silent')) });
    await createShop(t, 'sn');
    const patched = await t.call('PATCH', '/api/v1/stores/sn', { staffTelegramChatId: STAFF_CHAT }, adminHeaders);
    expect(patched.body).toMatchObject({ staffTelegramChatId: STAFF_CHAT, staffDiscordChannelId: null });
    // Staff settings are not public.
    expect((await t.call('GET', '/api/v1/stores/sn')).body.staffTelegramChatId).toBeUndefined();
    expect((await t.call('PATCH', '/api/v1/stores/sn', { staffDiscordChannelId: 'general' }, adminHeaders)).status).toBe(400);
    const { catalog, customers } = t.container.services;
    const api = new Api(TOKEN, { apiRoot: tg.apiRoot });
    const rest = createDiscordRest({ apiRoot: dc.url, token: 'discord-bot-token', retries: 0 });
    const log = t.container.log;
    tgBuyer.attach({ api, customers, shop: shopRef(catalog, 'sn'), log });
    dcBuyer.attach({ rest, customers, log });
    tgStaff.attach({ api, catalog, customers, defaultChatId: undefined, log });
    dcStaff.attach({ rest, catalog, customers, defaultChannelId: DEFAULT_DISCORD_CHANNEL, log });
  });
  afterAll(async () => {
    await t.close();
    await tg.close();
    await dc.close();
  });

  const turn = (channel: 'telegram' | 'discord', user: string, action: string): Promise<Reply[]> => {
    const input: ConversationInput = { store: 'sn', channel, identity: { externalUserId: user, chatId: user, displayName: 'Bea Buyer', locale: 'en' }, action };
    return t.container.services.conversation.handle(input);
  };
  const buyInChat = async (channel: 'telegram' | 'discord', user: string) => {
    const mug = await t.call('GET', '/api/v1/stores/sn/products/enamel-mug');
    await turn(channel, user, `1a:${mug.body.variants[0].id}:2`);
    const replies = await turn(channel, user, '1x');
    const first = replies[0];
    const id = /\/pay\/demo\/([^/?]+)/.exec(first?.type === 'checkout' ? (first.url ?? '') : '')?.[1] ?? '';
    await demoDecide(t, id, 'approve', (await demoPage(t, id)).token ?? '');
    return id;
  };

  it('a paid order reaches the store\'s Telegram staff chat and the default Discord channel, with items, total and buyer', async () => {
    const id = await buyInChat('telegram', '7001');
    const { number } = await orderOf(t, 'sn', id);
    const staff = await tg.waitForCall('sendMessage', { chatId: STAFF_CHAT });
    expect(staff.body.text).toContain(`New paid order #${number} (Telegram)`);
    expect(staff.body.text).toContain('Buyer: Bea Buyer');
    expect(staff.body.text).toContain('2 × Enamel Mug — €25.00');
    expect(staff.body.text).toContain('Total: €25.00');
    const post = await dc.waitFor('POST', new RegExp(`^/channels/${DEFAULT_DISCORD_CHANNEL}/messages$`));
    expect(post.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(String(post.body.content)).toContain(`New paid order #${number} (Telegram)`);
    // The buyer hears of it in their own chat too.
    const buyer = await tg.waitForCall('sendMessage', { chatId: '7001', test: (c) => /it is now paid/.test(String(c.body.text)) });
    expect(buttonsOf(buyer).map((b) => b.text)).toEqual([`Order #${number}`]);
  });

  it('shipping sends the Telegram buyer the tracking number and a carrier link button; a return request reaches the staff, not the buyer twice', async () => {
    const id = await buyInChat('telegram', '7002');
    const path = `/api/v1/stores/sn/orders/${id}/transitions`;
    await t.call('POST', path, { to: 'fulfilled' }, adminHeaders);
    const since = tg.calls.length;
    await t.call('POST', path, { to: 'shipped', trackingNumber: 'JJD42', carrierUrl: 'https://track.example/JJD42' }, adminHeaders);
    const shipped = await tg.waitForCall('sendMessage', { chatId: '7002', since });
    expect(shipped.body.text).toContain('it is now shipped');
    expect(shipped.body.text).toContain('Tracking number: JJD42 — https://track.example/JJD42');
    expect(buttonsOf(shipped)).toContainEqual(expect.objectContaining({ text: 'Track parcel', url: 'https://track.example/JJD42' }));

    const before = tg.calls.length;
    const replies = await turn('telegram', '7002', `1w:${id}`);
    expect(replies[0]?.type === 'text' && replies[0].text).toMatch(/We have your return request/);
    const staff = await tg.waitForCall('sendMessage', { chatId: STAFF_CHAT, since: before });
    expect(staff.body.text).toMatch(/Return requested for order #\d+ \(Telegram\)/);
    expect(tg.calls.slice(before).filter((c) => c.method === 'sendMessage' && String(c.body.chat_id) === '7002')).toHaveLength(0);
  });

  it('a Discord buyer gets the tracking number and a link button by DM', async () => {
    const id = await buyInChat('discord', '610000000000000001');
    const path = `/api/v1/stores/sn/orders/${id}/transitions`;
    await t.call('POST', path, { to: 'fulfilled' }, adminHeaders);
    await t.call('POST', path, { to: 'shipped', trackingNumber: 'DC77', carrierUrl: 'https://track.example/DC77' }, adminHeaders);
    const dm = await dc.waitFor('POST', /^\/channels\/dm-610000000000000001\/messages$/, (c) => String(c.body?.content).includes('DC77'));
    expect(dm.body.content).toContain('Tracking number: DC77');
    const buttons = (dm.body.components as { components: { style: number; url?: string; label: string }[] }[]).flatMap((r) => r.components);
    expect(buttons).toContainEqual(expect.objectContaining({ style: 5, label: 'Track parcel', url: 'https://track.example/DC77' }));
  });

  it('a staff chat that refuses the notice never breaks the order', async () => {
    tg.failNext({ method: 'sendMessage', chatId: STAFF_CHAT, error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' });
    const id = await buyInChat('telegram', '7003');
    const { number, status } = await orderOf(t, 'sn', id);
    expect(status).toBe('paid');
    // Telegram refused the staff notice (the scripted 403 was answered) …
    const refused = await tg.waitForCall('sendMessage', { chatId: STAFF_CHAT, test: (c) => c.error?.error_code === 403 });
    expect(refused.body.text).toContain(`#${number}`);
    // … and the other notices still went out.
    await dc.waitFor('POST', new RegExp(`^/channels/${DEFAULT_DISCORD_CHANNEL}/messages$`), (c) => String(c.body?.content).includes(`New paid order #${number}`));
    await tg.waitForCall('sendMessage', { chatId: '7003', test: (c) => String(c.body.text).includes(`#${number}`) });
  });

  it('license keys owed: the buyer is told they follow, the staff are told to add keys', async () => {
    const created = await t.call('POST', '/api/v1/stores/sn/products', { title: 'Editor licence', variants: [{ sku: 'sn-LIC', price: 500, onHand: 10, weightGrams: 0 }] }, adminHeaders);
    await t.call('POST', `/api/v1/stores/sn/products/${created.body.id}/deliverables`, { kind: 'license_key', label: 'Key' }, adminHeaders);
    await turn('telegram', '7004', `1a:${created.body.variants[0].id}:1`);
    const replies = await turn('telegram', '7004', '1x');
    const first = replies[0];
    const id = /\/pay\/demo\/([^/?]+)/.exec(first?.type === 'checkout' ? (first.url ?? '') : '')?.[1] ?? '';
    const since = tg.calls.length;
    await demoDecide(t, id, 'approve', (await demoPage(t, id)).token ?? '');
    const buyer = await tg.waitForCall('sendMessage', { chatId: '7004', since, test: (c) => /digital goods/.test(String(c.body.text)) });
    expect(buyer.body.text).toContain('One license key will follow shortly');
    const staff = await tg.waitForCall('sendMessage', { chatId: STAFF_CHAT, since, test: (c) => /license key/.test(String(c.body.text)) });
    expect(staff.body.text).toMatch(/is paid but 1 license key\(s\) could not be delivered/);
    expect((await orderOf(t, 'sn', id)).status).toBe('paid');
  });
});
