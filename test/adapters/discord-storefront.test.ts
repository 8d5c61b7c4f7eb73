import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonClick, modalSubmit, slash } from '../fakes/discord-interactions.ts';
import { databases, pgSkipReason } from '../helpers/test-app.ts';
import { buttons, cartOf, discordHarness, ephemeral, modalInputs, text, type DiscordHarness, type ModalData } from './discord-harness.ts';

const STAFF = '300000000000000019';
const SHOPPER = '300000000000000021';
const OTHER = '300000000000000022';
const DROPS = '820000000000000001';
const drop = (userId: string, product: string, channel = DROPS) =>
  slash(userId, 'drop', [
    { type: 3, name: 'product', value: product },
    { type: 7, name: 'channel', value: channel },
  ]);

describe.each(databases)(`Discord drops and the shipping address form (%s)${pgSkipReason}`, (kind) => {
  let h: DiscordHarness;
  const posts = () => h.fake.find('POST', new RegExp(`^/channels/${DROPS}/messages$`));

  beforeAll(async () => {
    h = await discordHarness(kind, { SELLER_IDS: `discord:${STAFF}` });
  }, 60_000);
  afterAll(() => h?.close());

  it('staff drop a product into a channel; anyone pressing Buy gets it in their own cart, privately', async () => {
    const r = await h.send(drop(STAFF, 'classic-mug'));
    expect(ephemeral(r.body.data)).toBe(true);
    expect(r.body.data?.content).toBe(`Dropped Classic Mug in <#${DROPS}>.`);
    const [post] = posts();
    expect(post?.auth).toBe('Bot test-bot-token');
    expect(post?.body.flags).toBeUndefined();
    expect(post?.body.embeds[0].title).toBe('Classic Mug');
    const buy = post?.body.components[0].components[0];
    expect(buy.label).toMatch(/^Buy — €\d+\.\d\d$/);
    expect(buy.custom_id).toMatch(/^1a:.+:1$/);

    for (const userId of [SHOPPER, OTHER]) {
      const pressed = await h.send({ ...buttonClick(userId, buy.custom_id), message: { id: 'drop-1', channel_id: DROPS, flags: 0, ...post?.body } });
      expect(pressed.body.type).toBe(4);
      expect(ephemeral(pressed.body.data)).toBe(true);
      expect(text(pressed.body.data)).toMatch(/Added 1 × Classic Mug/);
      expect((await cartOf(h, userId)).lines.map((l) => [l.sku, l.quantity])).toEqual([['MUG-CLASSIC', 1]]);
    }
  });

  it('a product with variants is dropped with a menu of what is in stock', async () => {
    await h.send(drop(STAFF, 'zip hoodie'));
    const post = posts().at(-1);
    expect(post?.body.embeds[0].title).toBe('Zip Hoodie');
    const options = post?.body.components[0].components[0].options as { label: string; value: string }[];
    expect(post?.body.components[0].components[0].custom_id).toBe('d:pick:b');
    expect(options.length).toBeGreaterThan(1);
    const choice = options[0];
    const pressed = await h.send(buttonClick(OTHER, 'd:pick:b', { values: [choice?.value ?? ''] }));
    expect(text(pressed.body.data)).toMatch(/Added 1 × Zip Hoodie/);
    expect((await cartOf(h, OTHER)).lines.map((l) => l.productTitle)).toContain('Zip Hoodie');
    // A forged choice is the engine's to refuse: politely, privately, nothing added.
    const forged = await h.send(buttonClick(OTHER, 'd:pick:b', { values: ['1a:no-such-variant:1'] }));
    expect(ephemeral(forged.body.data)).toBe(true);
    expect((await cartOf(h, OTHER)).lines).toHaveLength(2);
  });

  it('says so when the bot may not post there, when nothing matches, and refuses non-staff', async () => {
    h.fake.script({ method: 'POST', path: /^\/channels\/830000000000000001\/messages$/, status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    const denied = await h.send(drop(STAFF, 'classic-mug', '830000000000000001'));
    expect(denied.body.data?.content).toBe('I cannot post in <#830000000000000001>: give the bot View Channel and Send Messages there, then try again.');
    expect((await h.send(drop(STAFF, 'zzqx nothing like it'))).body.data?.content).toBe('No product matches "zzqx nothing like it"; pick one from the suggestions as you type.');
    expect((await h.send(drop(STAFF, 'hoodie'))).body.data?.content).toMatch(/^No product matches "hoodie"/);
    const before = posts().length;
    const refused = await h.send(drop(SHOPPER, 'classic-mug'));
    expect(refused.body.data?.content).toMatch(/shop staff only/);
    expect(posts()).toHaveLength(before);
  });

  it('/checkout of physical goods asks for an address in a form; mistakes are listed and nothing typed is lost', async () => {
    const before = (await h.t.container.services.orders.list(h.storeId, { limit: 100 })).items.length;
    const step = await h.send(slash(SHOPPER, 'checkout'));
    expect(ephemeral(step.body.data)).toBe(true);
    expect(step.body.data?.content).toMatch(/Where should we send your order\?/);
    expect(buttons(step.body.data).map((b) => [b.label, b.custom_id])).toEqual([['Add shipping address', 'd:addr']]);
    expect((await h.t.container.services.orders.list(h.storeId, { limit: 100 })).items).toHaveLength(before);

    const open = await h.send(buttonClick(SHOPPER, 'd:addr', { ephemeral: true }));
    expect(open.body.type).toBe(9);
    const form = open.body.data as unknown as ModalData;
    expect(form.custom_id).toBe('d:am');
    expect(form.components.map((c) => c.label)).toEqual(['Full name', 'Address', 'City', 'Postal code', 'Country code']);

    const typed = { name: 'Ada Lovelace', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117!', country: 'Germany' };
    const bad = await h.send(modalSubmit(SHOPPER, 'd:am', typed));
    expect(ephemeral(bad.body.data)).toBe(true);
    expect(bad.body.data?.content).toMatch(/Postal code may hold only letters, digits, spaces and dashes/);
    expect(bad.body.data?.content).toMatch(/Country must be a two-letter ISO 3166-1 code/);
    expect(text(bad.body.data)).toContain('Address: Unter den Linden 1');
    expect((await cartOf(h, SHOPPER)).shippingAddress).toBeNull();
    const again = await h.send(buttonClick(SHOPPER, 'd:addr', { ephemeral: true, message: bad.body.data }));
    expect(modalInputs(again.body.data as unknown as ModalData)).toEqual(typed);

    const done = await h.send(modalSubmit(SHOPPER, 'd:am', { ...typed, postalCode: '10117', country: 'de' }));
    expect(ephemeral(done.body.data)).toBe(true);
    expect(done.body.data?.content).toBe('Shipping to: Ada Lovelace, Unter den Linden 1, 10117 Berlin, DE');
    expect(text(done.body.data)).toMatch(/Order #\d+ is reserved/);
    expect(buttons(done.body.data).find((b) => b.url)?.url).toMatch(/\/pay\//);
    const orders = (await h.t.container.services.orders.list(h.storeId, { limit: 100 })).items;
    expect(orders).toHaveLength(before + 1);
    expect(orders[0]?.shippingAddress).toMatchObject({ name: 'Ada Lovelace', postalCode: '10117', country: 'DE' });
  });

  it('a digital-only cart goes straight to payment', async () => {
    const { catalog, carts } = h.t.container.services;
    const store = await catalog.store('demo');
    const made = await catalog.createProduct(store, { title: 'Brewing Guide PDF', variants: [{ sku: 'GUIDE-PDF', price: 500, onHand: 100, weightGrams: 0 }] });
    expect(made.ok).toBe(true);
    const cart = await cartOf(h, STAFF);
    expect((await carts.addItem(store.id, cart.id, 'GUIDE-PDF', 1)).ok).toBe(true);
    const r = await h.send(slash(STAFF, 'checkout'));
    expect(buttons(r.body.data).find((b) => b.url)?.url).toMatch(/\/pay\//);
  });
});

