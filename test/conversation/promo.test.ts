import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

type Reply = { type: string; text?: string; totalText?: string; buttons?: { label: string; action?: string }[] };

describe.each(databases)(`promo codes in the chat (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  const chat = async (session: string, body: { text?: string; action?: string }, locale?: string) => {
    const r = await t.call('POST', '/api/v1/stores/demo/chat', { session, ...body, ...(locale && { locale }) });
    expect(r.status).toBe(200);
    return r.body.replies as Reply[];
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedDemoStore(t.container.services.catalog);
    expect((await t.call('POST', '/api/v1/stores/demo/promotions', { code: 'MUGS20', kind: 'percent', percentOff: 20, categories: ['drinkware'], minSubtotal: 2000 }, adminHeaders)).status).toBe(201);
  });
  afterAll(() => t.close());

  it('applies a typed code, shows the discount in the cart, explains a refusal, and removes it by button', async () => {
    const s = 'promo-chat-session-1';
    await chat(s, { text: 'cheapest mug' });
    await chat(s, { text: 'add the first one' });
    const short = await chat(s, { text: 'code mugs20' });
    expect(short[0]?.text).toMatch(/^Code MUGS20 cannot be used: it needs a minimum of .*20\.00.* of eligible items\.$/);
    await chat(s, { text: 'add 1 more of those' });
    await chat(s, { text: 'add the first one' });
    const ok = await chat(s, { text: 'promo code: MUGS20' });
    expect(ok[0]?.text).toBe('Code MUGS20 applied.');
    const cart = ok.find((r) => r.type === 'cart');
    expect(cart?.totalText).toMatch(/Code MUGS20: −/);
    const unknown = await chat(s, { text: 'code NOTHING' });
    expect(unknown[0]?.text).toBe('Code NOTHING cannot be used: there is no such code.');
    const remove = cart?.buttons?.find((b) => b.label === 'Remove code');
    const removed = await chat(s, { action: remove?.action ?? '' });
    expect(removed[0]?.text).toBe('Promo code removed.');
    expect(removed.find((r) => r.type === 'cart')?.totalText).not.toMatch(/MUGS20/);
  });

  it('does not check out at full price when the code was used up meanwhile: it says why and offers to remove it', async () => {
    expect((await t.call('POST', '/api/v1/stores/demo/promotions', { code: 'LASTONE', kind: 'fixed', amountOff: 300, totalLimit: 1 }, adminHeaders)).status).toBe(201);
    const [a, b] = ['promo-chat-race-a', 'promo-chat-race-b'];
    for (const s of [a, b]) {
      await chat(s, { text: 'cheapest mug' });
      await chat(s, { text: 'add the first one' });
      expect((await chat(s, { text: 'code LASTONE' }))[0]?.text).toBe('Code LASTONE applied.');
    }
    expect((await chat(a, { text: 'checkout' })).some((r) => r.type === 'checkout')).toBe(true);
    const late = await chat(b, { text: 'checkout' });
    expect(late.some((r) => r.type === 'checkout')).toBe(false);
    expect(late[0]?.text).toBe('Code LASTONE cannot be used: it has been used up.');
    const remove = late[0]?.buttons?.find((btn) => btn.label === 'Remove code');
    expect((await chat(b, { action: remove?.action ?? '' }))[0]?.text).toBe('Promo code removed.');
    expect((await chat(b, { text: 'checkout' })).some((r) => r.type === 'checkout')).toBe(true);
  });

  it('understands the code in Chinese', async () => {
    const s = 'promo-chat-session-2';
    await chat(s, { text: '咖啡杯' }, 'zh-CN');
    const r = await chat(s, { text: '优惠码 WHATEVER' }, 'zh-CN');
    expect(r[0]?.text).toBe('优惠码 WHATEVER 无法使用：没有这个优惠码。');
  });
});
