import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { slashCommands } from '../../adapters/discord/commands.ts';
import { DiscordMarketingSender } from '../../adapters/discord/marketing-sender.ts';
import { createDiscordRest } from '../../adapters/discord/rest.ts';
import { encodeAction } from '../../src/conversation/actions.ts';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { buttonClick, modalSubmit, slash } from '../fakes/discord-interactions.ts';
import { adminHeaders, databases, pgSkipReason } from '../helpers/test-app.ts';
import { buttons, cartOf, discordHarness, ephemeral, modalInputs, text, type Component, type Data, type DiscordHarness, type ModalData } from './discord-harness.ts';

const STAFF = '320000000000000001';
const SHOPPER = '320000000000000002';
const SUBSCRIBER = '320000000000000003';
const BUYER = '320000000000000004';

const str = (name: string, value: string) => ({ type: 3, name, value });
const labels = (d: Data | undefined) => buttons(d).map((b) => b.label);
const byLabel = (d: Data | undefined, label: string | RegExp): Component | undefined => buttons(d).find((b) => (typeof label === 'string' ? b.label === label : label.test(b.label ?? '')));

describe('Discord marketing commands as registered', () => {
  it('fit Discord: descriptions of at most 100 characters, required options first, product suggestions', () => {
    const all = slashCommands() as { name: string; description: string; options?: { name: string; description: string; required?: boolean; autocomplete?: boolean }[] }[];
    const marketing = all.filter((c) => ['promo', 'promos', 'broadcast', 'broadcasts'].includes(c.name));
    expect(marketing.map((c) => c.name)).toEqual(['promo', 'promos', 'broadcast', 'broadcasts']);
    for (const c of marketing) for (const o of [c, ...(c.options ?? [])]) expect(o.description.length).toBeLessThanOrEqual(100);
    const broadcast = marketing.find((c) => c.name === 'broadcast');
    expect(broadcast?.options?.map((o) => [o.name, o.required ?? false])).toEqual([['message', true], ['who', false], ['product', false], ['image', false]]);
    expect(broadcast?.options?.find((o) => o.name === 'product')?.autocomplete).toBe(true);
  });
});

describe.each(databases)(`Discord seller marketing: /promo, /broadcast and the cart's promo-code form (%s)${pgSkipReason}`, (kind) => {
  let h: DiscordHarness;
  const promo = (options: object[], user = STAFF) => h.send(slash(user, 'promo', options));
  const codes = async () => (await h.t.container.services.promotions.list(h.storeId)).map((p) => p.code);
  const broadcast = (id: string) => h.t.container.services.broadcasts.get(h.storeId, id);
  const idOf = (d: Data | undefined) => /^d:mk:([a-z0-9]+):s$/.exec(byLabel(d, /^Send to/)?.custom_id ?? '')?.[1] ?? '';

  beforeAll(async () => {
    h = await discordHarness(kind, { SELLER_IDS: `discord:${STAFF}`, MARKETING_QUIET_HOURS: 'off' });
  }, 60_000);
  afterAll(() => h?.close());

  it('/promo creates a code, names what it cannot read, /promos lists them, off and on switch one', async () => {
    const made = await promo([str('line', 'WINTER20 20% on drinkware min 20 until 2099-12-31 limit 100')]);
    expect(ephemeral(made.body.data)).toBe(true);
    expect(made.body.data?.content).toMatch(/^Created: WINTER20 · 20% off · on 1 category · min 20\.00 EUR · until 2099-12-31 · 0\/100 used\nShoppers press "Apply promo code" in their cart, or type: code WINTER20$/);

    const unreadable = await promo([str('line', 'SPRING 20 percent')]);
    expect(unreadable.body.data?.content).toMatch(/^Not created: "20" is not a discount\./);
    expect(unreadable.body.data?.content).toMatch(/You typed: SPRING 20 percent$/);
    const nowhere = await promo([str('line', 'BAD 10% on nowhere')]);
    expect(nowhere.body.data?.content).toMatch(/no category or product "nowhere"/);
    const twice = await promo([str('line', 'WINTER20 5%')]);
    expect(twice.body.data?.content).toMatch(/already exists/);
    expect(await codes()).toEqual(['WINTER20']);

    const list = await h.send(slash(STAFF, 'promos'));
    expect(ephemeral(list.body.data)).toBe(true);
    expect(text(list.body.data)).toMatch(/WINTER20 · 20% off .* 0\/100 used/);

    const off = await promo([str('off', 'winter20')]);
    expect(off.body.data?.content).toMatch(/^Switched off: WINTER20 .* off$/);
    expect((await h.t.container.services.promotions.list(h.storeId))[0]?.active).toBe(false);
    const on = await promo([str('line', 'on WINTER20')]);
    expect(on.body.data?.content).toMatch(/^Switched on: WINTER20 /);
    expect((await h.t.container.services.promotions.list(h.storeId))[0]?.active).toBe(true);
    expect((await promo([str('off', 'NOPE')])).body.data?.content).toBe('No promotion with the code NOPE');
    expect((await promo([])).body.data?.content).toMatch(/^Create a code: \/promo line: CODE/);
  });

  it('refuses the marketing commands and buttons to anyone else, logs it, and changes nothing', async () => {
    const warn = vi.spyOn(h.t.container.log, 'warn');
    const r = await promo([str('line', 'SNEAKY 90%')], SHOPPER);
    expect(ephemeral(r.body.data)).toBe(true);
    expect(r.body.data?.content).toMatch(/shop staff only/);
    expect((await h.send(slash(SHOPPER, 'promos'))).body.data?.content).toMatch(/shop staff only/);
    expect((await h.send(slash(SHOPPER, 'broadcast', [str('message', 'hi')]))).body.data?.content).toMatch(/shop staff only/);
    expect((await h.send(slash(SHOPPER, 'broadcasts'))).body.data?.content).toMatch(/shop staff only/);
    expect(await codes()).not.toContain('SNEAKY');

    // A real Send button, pressed by someone who is not staff.
    const preview = await h.send(slash(STAFF, 'broadcast', [str('message', 'Not for shoppers to send')]));
    const id = idOf(preview.body.data);
    const pressed = await h.send(buttonClick(SHOPPER, `d:mk:${id}:s`, { ephemeral: true }));
    expect(pressed.body.data?.content).toMatch(/shop staff only/);
    const still = await broadcast(id);
    expect(still.ok && still.value.broadcast.status).toBe('draft');
    expect(warn).toHaveBeenCalledWith({ discordUser: SHOPPER, attempted: '/promo' }, 'seller command refused: not staff');
    expect(warn).toHaveBeenCalledWith({ discordUser: SHOPPER, attempted: `button d:mk:${id}:s` }, 'seller command refused: not staff');
    warn.mockRestore();
    await h.send(buttonClick(STAFF, `d:mk:${id}:c`, { ephemeral: true }));
  });

  it('refuses forged broadcast buttons from staff too, and changes nothing', async () => {
    const preview = await h.send(slash(STAFF, 'broadcast', [str('message', 'Forgery check')]));
    const id = idOf(preview.body.data);
    const unknown = await h.send(buttonClick(STAFF, 'd:mk:nosuchbroadcast1:s', { ephemeral: true }));
    expect(unknown.body.data?.content).toBe('There is no such broadcast in this shop; nothing was done.');
    const bogus = await h.send(buttonClick(STAFF, `d:mk:${id}:x`, { ephemeral: true }));
    expect(bogus.body.data?.content).toBe('That button is not one I made; nothing was done.');
    // The preview's look-alike DM buttons are disabled; pressed anyway, they do nothing either.
    expect(buttons(preview.body.data).filter((b) => (b as { disabled?: boolean }).disabled).map((b) => b.custom_id)).toEqual(['d:mk:preview:0']);
    expect((await h.send(buttonClick(STAFF, 'd:mk:preview:0', { ephemeral: true }))).body.data?.content).toBe('That button is not one I made; nothing was done.');
    const after = await broadcast(id);
    expect(after.ok && after.value.broadcast.status).toBe('draft');
    await h.send(buttonClick(STAFF, `d:mk:${id}:c`, { ephemeral: true }));
  });

  it('/broadcast: bad entries named with everything typed; preview → Send → delivered by DM → Refresh shows done', async () => {
    await h.send(slash(SUBSCRIBER, 'subscribe'));
    const badImage = await h.send(slash(STAFF, 'broadcast', [str('message', 'Mug week'), str('image', 'http://example.com/a.png')]));
    expect(badImage.body.data?.content).toBe('Not drafted: image must be a web address starting with https://\n\nYou typed:\nwho: all\nimage: http://example.com/a.png\nmessage: Mug week');
    const badWho = await h.send(slash(STAFF, 'broadcast', [str('message', 'Mug week'), str('who', 'discord vips')]));
    expect(badWho.body.data?.content).toMatch(/^Not drafted: "vips" is not a segment rule\./);
    expect(badWho.body.data?.content).toMatch(/who: discord vips\nmessage: Mug week$/);
    const badProduct = await h.send(slash(STAFF, 'broadcast', [str('message', 'Mug week'), str('product', 'no-such-thing')]));
    expect(badProduct.body.data?.content).toMatch(/^Not drafted: there is no product "no-such-thing"/);

    // Nobody on Telegram has subscribed: Send says so and the preview stays, Send and all.
    const empty = await h.send(slash(STAFF, 'broadcast', [str('message', 'Telegram only'), str('who', 'telegram')]));
    const emptyId = idOf(empty.body.data);
    const notSent = await h.send(buttonClick(STAFF, `d:mk:${emptyId}:s`, { ephemeral: true }));
    expect(notSent.body.type).toBe(7);
    expect(text(notSent.body.data)).toMatch(/Not done: Nobody in this segment has agreed to receive offers yet/);
    expect(notSent.body.data?.content).toBe('Telegram only');
    expect(labels(notSent.body.data)).toContain('Send to 0');

    const preview = await h.send(
      slash(STAFF, 'broadcast', [str('message', 'Mug week: 10% off every mug'), str('who', 'discord'), str('product', 'classic-mug'), str('image', 'https://example.com/mug.png')]),
    );
    expect(preview.body.type).toBe(4);
    expect(ephemeral(preview.body.data)).toBe(true);
    const data = preview.body.data;
    expect(data?.content).toBe('Mug week: 10% off every mug');
    expect(data?.embeds?.[0]?.image?.url).toBe('https://example.com/mug.png');
    expect(data?.embeds?.[1]?.description).toMatch(/It reaches 1 subscriber\(s\): all subscribers on discord \(Telegram 0, Discord 1\)\./);
    expect(labels(data)).toEqual([expect.stringMatching(/^Buy · Classic Mug · \d+\.\d\d EUR$/), 'Unsubscribe', 'Send to 1', 'Cancel']);
    expect(buttons(data).slice(0, 2).every((b) => (b as { disabled?: boolean }).disabled === true)).toBe(true);
    const id = idOf(data);
    expect(h.fake.find('POST', new RegExp(`^/channels/dm-${SUBSCRIBER}/messages$`))).toHaveLength(0);

    const sent = await h.send(buttonClick(STAFF, `d:mk:${id}:s`, { ephemeral: true }));
    expect(sent.body.type).toBe(7); // the preview becomes the status, in place
    expect(sent.body.data?.content).toMatch(/^Sending to 1 subscriber\(s\)\.\nBroadcast to all subscribers on discord: sending\n░{10} 0\/1\n/);
    expect(labels(sent.body.data)).toEqual(['Refresh', 'Stop']);

    const rest = createDiscordRest({ apiRoot: h.fake.url, token: 'test-bot-token', retries: 0 });
    await h.t.container.broadcastRunner([new DiscordMarketingSender(rest, translator('en'), 1000)]).tick();
    const dm = await h.fake.waitFor('POST', new RegExp(`^/channels/dm-${SUBSCRIBER}/messages$`));
    const body = dm.body as Data;
    expect(body.content).toBe('Mug week: 10% off every mug');
    expect(body.embeds?.[0]?.image?.url).toBe('https://example.com/mug.png');
    expect(labels(body)).toEqual([labels(data)[0], 'Unsubscribe']);

    const refreshed = await h.send(buttonClick(STAFF, `d:mk:${id}:r`, { ephemeral: true }));
    expect(refreshed.body.type).toBe(7);
    expect(refreshed.body.data?.content).toBe('Broadcast to all subscribers on discord: done\n▓▓▓▓▓▓▓▓▓▓ 1/1\nsent 1 · failed 0 · blocked 0 · skipped 0');
    expect(buttons(refreshed.body.data)).toEqual([]);
    const again = await h.send(buttonClick(STAFF, `d:mk:${id}:s`, { ephemeral: true }));
    expect(again.body.data?.content).toMatch(/^Not done: The broadcast is already done\.\n/);
    expect(h.fake.find('POST', new RegExp(`^/channels/dm-${SUBSCRIBER}/messages$`))).toHaveLength(1);

    const list = await h.send(slash(STAFF, 'broadcasts'));
    expect(ephemeral(list.body.data)).toBe(true);
    expect(text(list.body.data)).toMatch(/Mug week: 10% off every mug\nBroadcast to all subscribers on discord: done\n▓{10} 1\/1/);
  });

  it('Cancel on a preview cancels the draft; nothing is sent', async () => {
    const preview = await h.send(slash(STAFF, 'broadcast', [str('message', 'Changed my mind')]));
    const id = idOf(preview.body.data);
    const cancelled = await h.send(buttonClick(STAFF, `d:mk:${id}:c`, { ephemeral: true }));
    expect(cancelled.body.data?.content).toMatch(/^Cancelled: nobody else gets it\.\nBroadcast to all subscribers: cancelled\n/);
    expect(buttons(cancelled.body.data)).toEqual([]);
    const after = await broadcast(id);
    expect(after.ok && after.value.broadcast.status).toBe('cancelled');
  });

  it("the cart's Apply promo code button opens a form; a good code is applied, a bad one gets its reason", async () => {
    const made = await h.t.call('POST', '/api/v1/stores/demo/promotions', { code: 'MUG10', kind: 'percent', percentOff: 10 }, adminHeaders);
    expect(made.status).toBe(201);
    const mug = await h.t.container.services.catalog.product(h.storeId, 'classic-mug');
    const variant = mug.variants[0]?.id ?? '';
    await h.send(buttonClick(BUYER, encodeAction({ op: 'add', variantId: variant, quantity: 1 })));

    const cart = await h.send(slash(BUYER, 'cart'));
    expect(ephemeral(cart.body.data)).toBe(true);
    expect(labels(cart.body.data).slice(0, 3)).toEqual(['Checkout', 'Keep shopping', 'Apply promo code']);
    const open = await h.send(buttonClick(BUYER, byLabel(cart.body.data, 'Apply promo code')?.custom_id ?? '', { ephemeral: true }));
    expect(open.body.type).toBe(9);
    const form = open.body.data as unknown as ModalData;
    expect(form.title).toBe('Promo code');
    expect(modalInputs(form)).toEqual({ code: '' });

    const refused = await h.send(modalSubmit(BUYER, form.custom_id, { code: 'nope99' }));
    expect(ephemeral(refused.body.data)).toBe(true);
    expect(refused.body.data?.content).toBe('Code NOPE99 cannot be used: there is no such code.');
    expect((await cartOf(h, BUYER)).promotionCode).toBeNull();
    expect((await h.send(modalSubmit(BUYER, form.custom_id, { code: '!' }))).body.data?.content).toBe('Send your promo code like this: code SPRING20');

    const applied = await h.send(modalSubmit(BUYER, form.custom_id, { code: ' mug10 ' }));
    expect(ephemeral(applied.body.data)).toBe(true);
    expect(applied.body.data?.content).toBe('Code MUG10 applied.');
    expect(text(applied.body.data)).toMatch(/Code MUG10: −€\d+\.\d\d/);
    expect(labels(applied.body.data)).toContain('Remove code');
    expect(labels(applied.body.data)).toContain('Apply promo code');
    expect((await cartOf(h, BUYER)).promotionCode).toBe('MUG10');

    // In Chinese, the button and the form are too.
    const zh = await h.send(slash(BUYER, 'cart', undefined, { locale: 'zh-CN' }));
    expect(labels(zh.body.data)).toContain('使用优惠码');
    const zhForm = await h.send({ ...buttonClick(BUYER, 'd:code', { ephemeral: true }), locale: 'zh-CN' });
    expect((zhForm.body.data as unknown as ModalData).title).toBe('优惠码');
  });
});
