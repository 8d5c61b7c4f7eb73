import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { linkSigner } from '../../adapters/telegram/signed-link.ts';
import { ConfigError, loadConfig } from '../../src/config/env.ts';
import { FakeTelegramApi } from '../fakes/telegram-bot-api.ts';
import { adminHeaders, databases } from '../helpers/test-app.ts';
import { Chat, newUser, STAFF_ID, startHarness, textOf, TOKEN, type Harness } from './telegram-harness.ts';

describe('signed deep-link payloads', () => {
  const secret = 'a-test-secret-of-enough-length-0123456789';
  const signer = linkSigner(secret);

  it('round-trips within 64 characters of [A-Za-z0-9_-]', () => {
    const longest = [
      { kind: 'campaign' as const, campaign: 'c'.repeat(20), productId: 'p'.repeat(25) },
      { kind: 'referral' as const, referrer: String(Number.MAX_SAFE_INTEGER), productId: 'x'.repeat(32) },
      { kind: 'referral' as const, referrer: '7000000001' },
    ];
    for (const a of longest) {
      const payload = signer.encode(a);
      expect(payload).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(signer.decode(payload)).toEqual({ ok: true, attribution: a.kind === 'referral' && !('productId' in a) ? { ...a, productId: undefined } : a });
    }
  });

  it('detects tampering, other secrets and malformed payloads; ignores unsigned kinds', () => {
    const payload = signer.encode({ kind: 'campaign', campaign: 'spring' });
    expect(signer.decode(payload.replace('spring', 'summer'))).toEqual({ ok: false, reason: 'bad signature' });
    expect(linkSigner('another-secret-of-enough-length-xyz').decode(payload)).toEqual({ ok: false, reason: 'bad signature' });
    expect(signer.decode('r-abc')).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.decode('p_classic-hoodie')).toBeNull();
    expect(() => signer.encode({ kind: 'campaign', campaign: 'has-dash' })).toThrow(/campaign code/);
    expect(() => signer.encode({ kind: 'referral', referrer: 'alice' })).toThrow(/numeric/);
  });

  it('carries a UUID product id (catalog imports make them) compactly, within 64 characters', () => {
    const productId = randomUUID();
    for (const a of [
      { kind: 'campaign' as const, campaign: 'c'.repeat(20), productId },
      { kind: 'referral' as const, referrer: String(Number.MAX_SAFE_INTEGER), productId },
    ]) {
      const payload = signer.encode(a);
      expect(payload).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(payload).toContain('-_');
      expect(signer.decode(payload)).toEqual({ ok: true, attribution: a });
    }
    // A compact field that is not a UUID, correctly signed: malformed all the same.
    const sign = (body: string) => createHmac('sha256', createHmac('sha256', secret).update('chatshop deep links v1').digest()).update(body).digest('base64url').slice(0, 12);
    const body = 'g-spring-_zzzzzzzzzzzzzzzzzzzzzz';
    expect(signer.decode(`${body}-${sign(body)}`)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('LINK_SECRET: validated, else derived from the bot token (never the token itself)', () => {
    expect(() => loadConfig({ LINK_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ LINK_SECRET: 'short' })).toThrow(/LINK_SECRET: must be 32-256 characters/);
    expect(loadConfig({ LINK_SECRET: 'x'.repeat(40) }).linkSecret).toBe('x'.repeat(40));
    const derived = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN }).linkSecret;
    expect(derived).toMatch(/^[0-9a-f]{64}$/);
    expect(derived).not.toContain(TOKEN);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN }).linkSecret).toBe(derived);
    expect(loadConfig({}).linkSecret).toBeNull();
  });
});

describe.each(databases)('Telegram campaign and referral links (%s)', (kind) => {
  let h: Harness;
  let storeId: string;
  const rows = (type: string) => h.t.container.db.analyticsEvent.findMany({ where: { storeId, type }, orderBy: { createdAt: 'asc' } });
  const customerOf = async (userId: number) => {
    const list = await h.t.container.services.customers.list(storeId, { search: `u${userId + 1}`, limit: 5 });
    return list.items.find((c) => c.identities.some((i) => i.externalUserId === String(userId)));
  };

  beforeAll(async () => {
    h = await startHarness(kind);
    storeId = (await h.t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => h.close());

  it('a staff campaign link opens the product and credits the campaign', async () => {
    const staff = new Chat(h.fake, { id: STAFF_ID, is_bot: false, first_name: 'Sam' });
    const made = await staff.message(staff.say('/link spring_sale classic-hoodie'), /^Campaign link for spring_sale:/);
    const url = textOf(made).split('\n')[1] ?? '';
    const payload = new URL(url).searchParams.get('start') ?? '';
    expect(payload.length).toBeLessThanOrEqual(64);

    const shopper = new Chat(h.fake, newUser());
    const card = await shopper.next('sendPhoto', shopper.say(`/start ${payload}`));
    expect(textOf(card)).toMatch(/Classic Hoodie/);
    const [row] = await rows('campaign');
    const hoodie = await h.t.container.services.catalog.product(storeId, 'classic-hoodie');
    expect(row).toMatchObject({ customerId: (await customerOf(shopper.user.id))?.id, channel: 'telegram', productId: hoodie.id, sessionKey: `telegram:${shopper.user.id}` });
    expect(row?.data).toEqual({ source: 'deep_link', campaign: 'spring_sale' });
  });

  it('a referral link credits the referrer; following your own credits nobody', async () => {
    const signer = linkSigner(h.t.container.config.linkSecret ?? '');
    const referrer = newUser();
    const payload = signer.encode({ kind: 'referral', referrer: String(referrer.id) });
    const friend = new Chat(h.fake, newUser());
    await friend.message(friend.say(`/start ${payload}`), /Welcome to chatshop demo store/);
    const self = new Chat(h.fake, referrer);
    await self.message(self.say(`/start ${payload}`), /Welcome to chatshop demo store/);
    const referrals = await rows('referral');
    expect(referrals.map((r) => [r.customerId, r.data])).toEqual([[(await customerOf(friend.user.id))?.id, { source: 'deep_link', referrer: `telegram:${referrer.id}` }]]);
  });

  it('a tampered payload is a plain /start, logged, crediting nobody', async () => {
    const signer = linkSigner(h.t.container.config.linkSecret ?? '');
    const forged = signer.encode({ kind: 'campaign', campaign: 'spring_sale' }).replace('spring_sale', 'summer_sale');
    const before = (await rows('campaign')).length;
    const warn = vi.spyOn(h.t.container.log, 'warn');
    try {
      const c = new Chat(h.fake, newUser());
      await c.message(c.say(`/start ${forged}`), /Welcome to chatshop demo store/);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ reason: 'bad signature', payload: forged }), 'deep link not honoured; plain /start');
    } finally {
      warn.mockRestore();
    }
    expect(await rows('campaign')).toHaveLength(before);
  });

  /** The /start payload of the Buy button on `title`'s card, as `sharer` typing `@bot <query>` is offered it. */
  const sharedPayload = async (sharer: ReturnType<typeof newUser>, query: string, title: string) => {
    const since = h.fake.calls.length;
    h.fake.push(FakeTelegramApi.inlineUpdate(sharer, query));
    const answer = await h.fake.waitForCall('answerInlineQuery', { since });
    const result = (answer.body.results as { title: string; reply_markup: { inline_keyboard: { url: string }[][] } }[]).find((r) => r.title === title);
    return new URL(result?.reply_markup.inline_keyboard[0]?.[0]?.url ?? '').searchParams.get('start') ?? '';
  };

  it("an inline share's Buy link opens the product and credits the sharer", async () => {
    const sharer = newUser();
    const payload = await sharedPayload(sharer, 'mug', 'Classic Mug');

    const friend = new Chat(h.fake, newUser());
    const card = await friend.next('sendPhoto', friend.say(`/start ${payload}`));
    expect(textOf(card)).toMatch(/Classic Mug/);
    const mug = await h.t.container.services.catalog.product(storeId, 'classic-mug');
    const row = (await rows('referral')).find((r) => r.productId === mug.id);
    expect(row).toMatchObject({ customerId: (await customerOf(friend.user.id))?.id, data: { source: 'shared_product', referrer: `telegram:${sharer.id}` } });
  });

  it("an inline share's Buy link for an imported product (a UUID id) credits the sharer too", async () => {
    const csv = ['handle,title,sku,price,stock', 'stoneware-cup,Stoneware Cup,IMP-CUP-1,7.50,20'].join('\n');
    const imported = await h.t.call('POST', '/api/v1/stores/demo/products/import', csv, { ...adminHeaders, 'content-type': 'text/csv' });
    expect(imported.status).toBe(200);
    const cup = await h.t.container.services.catalog.product(storeId, 'stoneware-cup');
    expect(cup.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    const sharer = newUser();
    const payload = await sharedPayload(sharer, 'stoneware', 'Stoneware Cup');
    // Signed (a referral), not the plain product link it fell back to when the UUID did not fit.
    expect(payload).toMatch(/^r-/);

    const friend = new Chat(h.fake, newUser());
    await friend.message(friend.say(`/start ${payload}`), /Stoneware Cup/);
    const row = (await rows('referral')).find((r) => r.productId === cup.id);
    expect(row).toMatchObject({ customerId: (await customerOf(friend.user.id))?.id, data: { source: 'shared_product', referrer: `telegram:${sharer.id}` } });
  });
});
