import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { adminHeaders, createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

type Button = { label: string; action?: string; url?: string };
type Reply = { type: string; text?: string; title?: string; buttons?: Button[]; items?: any[]; product?: any; lines?: any[]; totalText?: string; columns?: string[]; url?: string | null; orderNumber?: number };

describe.each(databases)('a shopper journey through the web chat API (%s)', (kind) => {
  let t: TestApp;
  let n = 0;
  const newSession = () => `session${Date.now().toString(36)}${++n}`;

  /** One turn, as the web chat page sends it. */
  async function chat(session: string, body: { text?: string; action?: string; locale?: string }): Promise<Reply[]> {
    const r = await t.call('POST', '/api/v1/stores/demo/chat', { session, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.replies as Reply[];
  }
  const say = (s: string, text: string, locale?: string) => chat(s, { text, ...(locale && { locale }) });
  const tap = (s: string, b: Button | undefined) => {
    expect(b?.action, 'button to tap').toBeDefined();
    return chat(s, { action: b?.action ?? '' });
  };
  const of = (replies: Reply[], type: string) => {
    const r = replies.find((x) => x.type === type);
    expect(r, `a ${type} reply in ${JSON.stringify(replies.map((x) => x.type))}`).toBeDefined();
    return r as Reply;
  };
  const button = (r: Reply | undefined, label: RegExp) => r?.buttons?.find((b) => label.test(b.label));

  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedDemoStore(t.container.services.catalog);
  });
  afterAll(() => t.close());

  it('greets with a menu and lists categories', async () => {
    const s = newSession();
    const hello = await say(s, 'hi');
    expect(hello[0]?.text).toContain('Welcome to chatshop demo store');
    const browse = await tap(s, button(hello[0], /Browse/));
    expect(browse[0]?.buttons?.map((b) => b.label)).toEqual(expect.arrayContaining(['Apparel', 'Coffee', 'Drinkware']));
    const coffee = await tap(s, button(browse[0], /^Coffee$/));
    const list = of(coffee, 'products');
    expect(list.items?.length).toBe(6);
    expect(button(list, /More/)).toBeDefined();
  });

  it('finds, shows, picks a variant, adds to cart and checks out', async () => {
    const s = newSession();
    const found = await say(s, 'red hoodie size M under 60');
    expect(found[0]?.text).toContain('€60.00');
    const list = of(found, 'products');
    expect(list.items?.[0]).toMatchObject({ title: 'Classic Hoodie', priceText: '€59.00' });

    const product = of(await tap(s, list.items?.[0].buttons.find((b: Button) => b.label === 'View')), 'product');
    expect(product.product.variants.length).toBe(12);
    expect(product.text).toContain('Choose an option');

    const chosen = of(await tap(s, button(product, /^red \/ M$/)), 'product');
    expect(chosen.text).toContain('red / M');
    const added = await tap(s, button(chosen, /^Add 2$/));
    expect(added[0]?.text).toBe('Added 2 × Classic Hoodie to your cart.');
    expect(of(added, 'cart').totalText).toBe('Total: €118.00');

    const mugs = of(await say(s, 'cheapest mug'), 'products');
    expect(mugs.items?.[0].title).toBe('Classic Mug');
    const addMug = await say(s, 'add the first one');
    expect(addMug[0]?.text).toBe('Added 1 × Classic Mug to your cart.');
    expect(of(addMug, 'cart').totalText).toBe('Total: €130.00');

    const removed = await say(s, 'remove the mug');
    expect(removed[0]?.text).toBe('Removed Classic Mug from your cart.');

    const checkout = of(await say(s, 'checkout'), 'checkout');
    expect(checkout.text).toMatch(/^Order #\d+ is reserved for you for 15 minutes\. Total: €118\.00\.$/);
    expect(checkout.buttons?.[0]?.url).toMatch(/\/pay\/demo\//);
    // The same checkout tapped twice gives the same order, not a second one.
    const again = of(await say(s, 'checkout'), 'text');
    expect(again.text).toMatch(/empty/);

    const orders = of(await say(s, 'where is my order?'), 'orders');
    expect(orders.text).toContain(`#${checkout.orderNumber} · awaiting payment · €118.00`);
    const stock = await t.call('GET', '/api/v1/stores/demo/products/classic-hoodie');
    const redM = stock.body.variants.find((v: { sku: string }) => v.sku === 'HOOD-CLASSIC-RED-M');
    expect(redM.stock.reserved).toBe(2);
  });

  it('shows an empty cart, and a change to it, without creating a cart; adding creates it', async () => {
    const s = newSession();
    const carts = () => t.container.db.cart.count();
    const before = await carts();
    const shown = await say(s, 'show my cart');
    expect(shown[0]?.text).toMatch(/empty/);
    expect(button(shown[0], /browse/i)?.action).toBeDefined();
    expect((await say(s, 'remove the mug'))[0]?.text).toMatch(/mug/i);
    expect(await carts()).toBe(before);
    await say(s, 'gooseneck kettle');
    expect((await say(s, 'add 1 of those'))[0]?.text).toMatch(/Added 1 × Gooseneck Kettle/);
    expect(await carts()).toBe(before + 1);
  });

  it('adds by words, changes quantities and refuses more than is in stock', async () => {
    const s = newSession();
    await say(s, 'gooseneck kettle');
    const kettle = await say(s, 'add 2 of those');
    expect(kettle[0]?.text).toMatch(/Added 2 × Gooseneck Kettle/);
    const tooMany = await say(s, 'add 9 of those');
    expect(tooMany[0]?.text).toBe('Sorry, only 4 of Gooseneck Kettle left.');
    const cart = of(await say(s, 'show my cart'), 'cart');
    const minus = button(cart, /^− Gooseneck Kettle$/);
    const after = await tap(s, minus);
    expect(after[0]?.text).toBe('Gooseneck Kettle: quantity 1.');
    const changed = await say(s, 'change kettle to 3');
    expect(of(changed, 'cart').lines?.[0]).toMatchObject({ quantity: 3 });
  });

  it('compares products side by side', async () => {
    const s = newSession();
    const cmp = of(await say(s, 'compare the hoodies'), 'compare');
    expect(cmp.columns).toEqual(expect.arrayContaining(['Classic Hoodie', 'Zip Hoodie']));
    expect((cmp as any).rows.map((r: { label: string }) => r.label)).toEqual(expect.arrayContaining(['Price', 'Colour', 'Size']));
    // Also from the list just shown.
    await say(s, 'mugs');
    const fromList = of(await say(s, 'compare'), 'compare');
    expect(fromList.columns?.length).toBeGreaterThanOrEqual(2);
  });

  it('still answers when no product has every word', async () => {
    const s = newSession();
    const gift = await say(s, 'gift for a coffee lover');
    const list = of(gift, 'products');
    const titles = list.items?.map((i: { title: string }) => i.title) ?? [];
    expect(titles[0]).toMatch(/Coffee/);
    expect(titles).toEqual(expect.arrayContaining(['Coffee Lover Gift Box']));
  });

  it('answers forged or stale buttons politely, never with an error', async () => {
    const s = newSession();
    for (const action of ['1a:doesnotexist:1', 'garbage', '9p:abc', '1q:nope:2', '1y:sometoken', '1p:' + 'x'.repeat(40)]) {
      const replies = await chat(s, { action });
      expect(replies[0]?.text).toMatch(/expired|no longer available/);
    }
    const empty = await t.call('POST', '/api/v1/stores/demo/chat', { session: s, text: 'hi', action: '1m' });
    expect(empty.status).toBe(400);
    expect((await t.call('POST', '/api/v1/stores/demo/chat', { session: 'short', text: 'hi' })).status).toBe(400);
    expect((await t.call('POST', '/api/v1/stores/nope/chat', { session: s, text: 'hi' })).status).toBe(404);
  });

  it('speaks Chinese to a zh-CN shopper and finds Chinese titles', async () => {
    await t.call('PATCH', '/api/v1/stores/demo/products/large-coffee-mug', { translations: { 'zh-CN': { title: '大号咖啡杯' } } }, adminHeaders);
    const s = newSession();
    const hello = await say(s, '你好', 'zh-CN');
    expect(hello[0]?.text).toContain('欢迎光临');
    const found = of(await say(s, '咖啡杯', 'zh-CN'), 'products');
    expect(found.items?.[0]).toMatchObject({ title: '大号咖啡杯', priceText: '€16.00' });
    const cart = await say(s, '购物车', 'zh-CN');
    expect(cart[0]?.text).toContain('购物车是空的');
  });

  it('remembers the conversation across engine instances', async () => {
    const s = newSession();
    await say(s, 'brass pen');
    const first = of(await say(s, 'brass pen'), 'products');
    await tap(s, first.items?.[0].buttons[0]);
    const { ConversationEngine } = await import('../../src/conversation/engine.ts');
    const other = new ConversationEngine(t.container.engineDeps);
    const replies = await other.handle({ store: 'demo', channel: 'web', identity: { externalUserId: s }, text: 'add 1 of those' });
    expect(replies[0]).toMatchObject({ type: 'text', text: 'Added 1 × Brass Pen to your cart.' });
  });
});
