import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DiscordOrderNotifier } from '../../adapters/discord/notifier.ts';
import { createDiscordRest } from '../../adapters/discord/rest.ts';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { FakeDiscord, GUILD_ID } from '../fakes/discord-api.ts';
import { APP_ID, autocomplete, buttonClick, modalSubmit, signedHeaders, slash, testKeyPair } from '../fakes/discord-interactions.ts';
import { createTestApp, databases, type TestApp } from '../helpers/test-app.ts';
import { settled } from './discord-harness.ts';

const BUYER = '300000000000000001';
const OTHER = '300000000000000002';
const STAFF = '300000000000000009';
const keys = testKeyPair();

type Row = { type: number; components: { type: number; custom_id?: string; label?: string; url?: string; options?: { label: string; value: string }[] }[] };
type Data = { content?: string; embeds?: { title?: string; description?: string }[]; components?: Row[]; flags?: number };

const buttons = (d: Data | undefined) => (d?.components ?? []).flatMap((r) => r.components).filter((c) => c.type === 2);
const selectMenu = (d: Data | undefined, id: string) => (d?.components ?? []).flatMap((r) => r.components).find((c) => c.type === 3 && c.custom_id === id);
const text = (d: Data | undefined) => [d?.content ?? '', ...(d?.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? ''])].join('\n');
const ephemeral = (d: Data | undefined) => ((d?.flags ?? 0) & 64) === 64;

describe.each(databases)('Discord interactions over HTTP (%s)', (kind) => {
  let t: TestApp;
  let fake: FakeDiscord;

  /** The first answer exactly as the endpoint gave it. */
  async function sendRaw(interaction: object, headers?: Record<string, string>): Promise<{ status: number; body: { type: number; data?: Data } }> {
    const body = JSON.stringify(interaction);
    const res = await t.app.request('/webhooks/discord', { method: 'POST', headers: headers ?? signedHeaders(keys.privateKey, body), body });
    return { status: res.status, body: (await res.json()) as { type: number; data?: Data } };
  }
  /** What the user sees: a deferred answer read back from its completion (a busy machine may defer anything). */
  async function send(interaction: object, headers?: Record<string, string>): Promise<{ status: number; body: { type: number; data?: Data } }> {
    return settled(fake, interaction, await sendRaw(interaction, headers));
  }
  const cartOf = async (userId: string) => {
    const store = await t.container.services.catalog.store('demo');
    const customer = await t.container.services.customers.identify(store.id, { channel: 'discord', externalUserId: userId });
    const cart = await t.container.services.carts.open(store, { customerId: customer.id, channel: 'discord' });
    return cart.lines;
  };

  beforeAll(async () => {
    fake = await new FakeDiscord().start();
    const notifier = new DiscordOrderNotifier();
    t = await createTestApp(kind, {
      notifier,
      env: { DISCORD_TOKEN: 'test-bot-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_PUBLIC_KEY: keys.publicHex, DISCORD_API_ROOT: fake.url, SELLER_IDS: `discord:${STAFF}` },
    });
    notifier.attach({ rest: createDiscordRest({ apiRoot: fake.url, token: 'test-bot-token', retries: 0 }), customers: t.container.services.customers, log: t.container.log });
    await seedDemoStore(t.container.services.catalog);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('answers PING with PONG', async () => {
    const r = await send({ id: '1', application_id: APP_ID, token: 'x', type: 1, version: 1 });
    expect(r).toEqual({ status: 200, body: { type: 1 } });
  });

  it('refuses a bad signature with 401 and no effect', async () => {
    const i = slash(BUYER, 'checkout');
    const body = JSON.stringify(i);
    const forged = signedHeaders(testKeyPair().privateKey, body);
    expect((await send(i, forged)).status).toBe(401);
    expect((await send(i, { ...signedHeaders(keys.privateKey, body), 'x-signature-timestamp': '1' })).status).toBe(401);
    expect((await send(i, { 'content-type': 'application/json' })).status).toBe(401);
    // Not claimed: the genuine delivery of the same interaction is handled.
    const genuine = await send(i);
    expect(genuine.status).toBe(200);
    expect(text(genuine.body.data)).toMatch(/cart is empty/);
  });

  it('/search hoodie answers publicly with product embeds and buttons', async () => {
    const r = await send(slash(BUYER, 'search', [{ type: 3, name: 'query', value: 'hoodie' }]));
    expect(r.body.type).toBe(4);
    expect(ephemeral(r.body.data)).toBe(false);
    expect(r.body.data?.embeds?.map((e) => e.title)).toEqual(expect.arrayContaining(['Classic Hoodie', 'Zip Hoodie']));
    const view = buttons(r.body.data).find((b) => b.label === 'View · Classic Hoodie');
    expect(view?.custom_id).toMatch(/^1p:/);
    for (const b of buttons(r.body.data)) expect((b.label ?? '').length).toBeLessThanOrEqual(80);
    expect(r.body.data?.components?.length).toBeLessThanOrEqual(5);
  });

  it('button → product → variant select → add → /cart (ephemeral) → /checkout (ephemeral link)', async () => {
    const search = await send(slash(BUYER, 'search', [{ type: 3, name: 'query', value: 'classic hoodie' }]));
    const view = buttons(search.body.data).find((b) => b.label === 'View · Classic Hoodie');
    const product = await send(buttonClick(BUYER, view?.custom_id ?? ''));
    expect(product.body.type).toBe(4);
    expect(ephemeral(product.body.data)).toBe(true);
    expect(text(product.body.data)).toContain('Classic Hoodie');
    const variants = selectMenu(product.body.data, 'd:pick:v');
    expect(variants?.options?.length).toBeGreaterThan(1);
    expect(variants?.options?.length).toBeLessThanOrEqual(25);
    const option = variants?.options?.find((o) => /Red/.test(o.label) && /\bM\b/.test(o.label)) ?? variants?.options?.[0];

    const chosen = await send(buttonClick(BUYER, 'd:pick:v', { ephemeral: true, values: [option?.value ?? ''] }));
    expect(chosen.body.type).toBe(7);
    const add = buttons(chosen.body.data).find((b) => b.label === 'Add to cart');
    expect(add?.custom_id).toMatch(/^1a:.+:1$/);

    const added = await send(buttonClick(BUYER, add?.custom_id ?? '', { ephemeral: true }));
    expect(text(added.body.data)).toMatch(/Added 1 × Classic Hoodie/);
    expect(await cartOf(BUYER)).toHaveLength(1);

    const cart = await send(slash(BUYER, 'cart'));
    expect(cart.body.type).toBe(4);
    expect(ephemeral(cart.body.data)).toBe(true);
    expect(text(cart.body.data)).toMatch(/1 × Classic Hoodie/);

    // Physical goods: the address first (a form), then the payment link.
    const step = await send(slash(BUYER, 'checkout'));
    expect(buttons(step.body.data).map((b) => b.custom_id)).toEqual(['d:addr']);
    const address = { name: 'Ada Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' };
    const checkout = await send(modalSubmit(BUYER, 'd:am', address));
    expect(ephemeral(checkout.body.data)).toBe(true);
    const pay = buttons(checkout.body.data).find((b) => b.url);
    expect(pay?.url).toMatch(/\/pay\//);
    expect(text(checkout.body.data)).toMatch(/Order #\d+ is reserved/);
  });

  it('handles an interaction delivered twice once', async () => {
    const search = await send(slash(OTHER, 'search', [{ type: 3, name: 'query', value: 'classic mug' }]));
    const add = buttons(search.body.data).find((b) => b.label === 'Add to cart · Classic Mug');
    const click = buttonClick(OTHER, add?.custom_id ?? '');
    const [a, b] = await Promise.all([sendRaw(click), sendRaw(click)]);
    // One is handled (answered, or deferred on a busy machine); the redelivery is acknowledged with no effect.
    expect([a.body.type, b.body.type].sort()).toEqual([a.body.type === 6 ? b.body.type : a.body.type, 6].sort());
    expect([a.body.type, b.body.type].filter((x) => x === 6)).toHaveLength(1);
    await settled(fake, click, a.body.type === 6 ? b : a);
    expect((await cartOf(OTHER)).map((l) => l.quantity)).toEqual([1]);
  });

  it('defers a slow turn and completes it through the interaction webhook', async () => {
    const engine = t.container.services.conversation;
    const original = engine.handle.bind(engine);
    const spy = vi.spyOn(engine, 'handle').mockImplementationOnce(async (input) => {
      await new Promise((r) => setTimeout(r, 400));
      return original(input);
    });
    const i = slash(OTHER, 'search', [{ type: 3, name: 'query', value: 'mug' }]);
    const originalPath = new RegExp(`^/webhooks/${APP_ID}/${i.token}/messages/@original$`);
    const started = performance.now();
    const r = await sendRaw(i);
    // Acknowledged before the turn was done, well inside Discord's 3 seconds.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(fake.find('PATCH', originalPath)).toHaveLength(0);
    expect(r.body).toEqual({ type: 5, data: {} });
    const edit = await fake.waitFor('PATCH', originalPath);
    expect(edit.auth).toBeNull();
    expect(edit.body.embeds.map((e: { title: string }) => e.title)).toContain('Classic Mug');
    spy.mockRestore();
  });

  it('waits out a 429 and retries a 500 when completing a deferred answer', async () => {
    const engine = t.container.services.conversation;
    const original = engine.handle.bind(engine);
    const spy = vi.spyOn(engine, 'handle').mockImplementation(async (input) => {
      await new Promise((r) => setTimeout(r, 300));
      return original(input);
    });
    const i = slash(OTHER, 'cart');
    const path = new RegExp(`^/webhooks/${APP_ID}/${i.token}/messages/@original$`);
    fake.script({ method: 'PATCH', path, status: 429, body: { message: 'You are being rate limited.', retry_after: 0.05, global: false }, headers: { 'retry-after': '0.05' } });
    fake.script({ method: 'PATCH', path, status: 500, body: { message: 'oops', code: 0 } });
    const r = await sendRaw(i);
    expect(r.body).toEqual({ type: 5, data: { flags: 64 } });
    await fake.waitFor('PATCH', path, (c) => fake.find('PATCH', path).indexOf(c) === 2);
    expect(fake.find('PATCH', path)).toHaveLength(3);
    spy.mockRestore();
  });

  it('answers a forged custom_id politely and privately', async () => {
    for (const id of ['1p:no-such-product', 'totally-forged', '9zz']) {
      const r = await send(buttonClick(OTHER, id));
      expect(r.body.type).toBe(4);
      expect(ephemeral(r.body.data)).toBe(true);
      expect(r.body.data?.content).toMatch(/That button has expired/);
    }
  });

  it('suggests products while /product is typed, and shows the chosen one', async () => {
    const r = await send(autocomplete(OTHER, 'product', 'name', 'hood'));
    expect(r.body.type).toBe(8);
    const choices = (r.body.data as { choices: { name: string; value: string }[] }).choices;
    expect(choices.map((c) => c.name)).toContain('Zip Hoodie');
    const zip = choices.find((c) => c.name === 'Zip Hoodie');
    const shown = await send(slash(OTHER, 'product', [{ type: 3, name: 'name', value: zip?.value ?? '' }]));
    expect(shown.body.data?.embeds?.[0]?.title).toBe('Zip Hoodie');
  });

  it('lets staff mark an order shipped, and the buyer gets a DM', async () => {
    const store = await t.container.services.catalog.store('demo');
    const { items } = await t.container.services.orders.list(store.id, { limit: 5 });
    const order = items.find((o) => o.channel === 'discord');
    expect(order).toBeDefined();
    const number = order?.number ?? 0;
    await t.container.services.orders.transition(store.id, String(number), 'paid', 'test');

    const list = await send(slash(STAFF, 'staff', [{ type: 1, name: 'orders', options: [] }]));
    expect(ephemeral(list.body.data)).toBe(true);
    const fulfil = buttons(list.body.data).find((b) => b.custom_id === `d:st:${number}:f`);
    expect(fulfil?.label).toBe(`#${number} → fulfilled`);
    const fulfilled = await send(buttonClick(STAFF, fulfil?.custom_id ?? '', { ephemeral: true }));
    expect(fulfilled.body.type).toBe(7);
    const ship = buttons(fulfilled.body.data).find((b) => b.custom_id === `d:st:${number}:s`);
    const form = await send(buttonClick(STAFF, ship?.custom_id ?? '', { ephemeral: true }));
    expect(form.body.type).toBe(9);
    const shipped = await send(modalSubmit(STAFF, `d:sm:${number}`, { tracking: '1Z999AA10123456784', carrier: 'https://carrier.example/t/1Z999AA10123456784' }));
    expect(shipped.body.data?.content).toBe(`Order #${number} marked shipped (tracking 1Z999AA10123456784); the buyer is told.`);

    const o = await t.container.services.orders.get(store.id, String(number));
    expect(o.status).toBe('shipped');
    expect(o.events.at(-1)?.actor).toBe(`staff:discord:${STAFF}`);
    const dm = await fake.waitFor('POST', new RegExp(`^/channels/dm-${BUYER}/messages$`), (c) => String(c.body.content).includes('1Z999AA10123456784'));
    expect(dm.body.components.flatMap((r: { components: { url?: string }[] }) => r.components).map((b: { url?: string }) => b.url)).toContain('https://carrier.example/t/1Z999AA10123456784');
    expect(dm.auth).toBe('Bot test-bot-token');
    expect(fake.find('POST', /^\/users\/@me\/channels$/).every((c) => c.body.recipient_id === BUYER)).toBe(true);
  });

  it('refuses staff commands and buttons to anyone else', async () => {
    const store = await t.container.services.catalog.store('demo');
    const order = (await t.container.services.orders.list(store.id, { limit: 1 })).items[0];
    const refused = await send(slash(OTHER, 'staff', [{ type: 1, name: 'orders', options: [] }]));
    expect(ephemeral(refused.body.data)).toBe(true);
    expect(refused.body.data?.content).toMatch(/shop staff only/);
    const forged = await send(buttonClick(OTHER, `d:st:${order?.number ?? 1}:d`));
    expect(forged.body.data?.content).toMatch(/shop staff only/);
    expect((await t.container.services.orders.get(store.id, String(order?.number))).status).toBe(order?.status);
  });
});

describe('npm run discord:register', () => {
  let fake: FakeDiscord;
  beforeAll(async () => (fake = await new FakeDiscord().start()));
  afterAll(() => fake.close());

  /** The script as npm runs it, from an empty directory (no .env), with only the given keys set. */
  const register = (args: string[], env: Record<string, string>) =>
    promisify(execFile)(resolve('node_modules/.bin/tsx'), [resolve('scripts/discord-register.ts'), ...args], {
      cwd: mkdtempSync(join(tmpdir(), 'discord-register-')),
      env: { PATH: process.env.PATH ?? '', ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );
  const keys = () => ({ DISCORD_TOKEN: 'test-bot-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_PUBLIC_KEY: testKeyPair().publicHex, DISCORD_API_ROOT: fake.url });

  it('bulk-overwrites the commands per guild and globally, idempotently', async () => {
    const guild = await register(['--guild', GUILD_ID], keys());
    expect(guild.stderr).toBe('');
    expect(guild.stdout).toMatch(/Registered 21 slash commands \(guild \d+\): \/shop \/search \/product \/cart \/checkout \/orders \/help \/subscribe \/stop \/privacy \/forgetme \/staff \/stock \/stats \/drop \/groupbuy \/promo \/promos \/broadcast \/broadcasts \/campaign$/m);
    await register([], keys());
    await register([], keys());
    const global = fake.find('PUT', new RegExp(`^/applications/${APP_ID}/commands$`));
    expect(global).toHaveLength(2);
    expect(global[0]?.body).toEqual(global[1]?.body);
    expect(global[0]?.auth).toBe('Bot test-bot-token');
    const search = global[0]?.body.find((c: { name: string }) => c.name === 'search');
    expect(search.description_localizations['zh-CN']).toBeTruthy();
    expect(fake.find('PUT', new RegExp(`^/applications/${APP_ID}/guilds/${GUILD_ID}/commands$`))).toHaveLength(1);
  });

  it('says which keys are missing', async () => {
    const r = await register([], { DISCORD_API_ROOT: fake.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/set DISCORD_TOKEN and DISCORD_APPLICATION_ID first/);
    const bad = await register(['--guild', 'abc'], keys());
    expect(bad.stderr).toMatch(/--guild must be a server id/);
  });
});
