import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { FakeOpenAI } from '../fakes/openai-api.ts';
import { createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

type Button = { label: string; action?: string; url?: string };
type Reply = { type: string; text?: string; title?: string; buttons?: Button[]; items?: any[]; product?: any; lines?: any[]; totalText?: string };

const TIMEOUT_MS = 1_500;

describe.each(databases)('the language model assistant against a fake OpenAI server (%s)', (kind) => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let n = 0;
  const newSession = () => `ai${Date.now().toString(36)}${++n}`;

  async function chat(session: string, body: { text?: string; action?: string }): Promise<Reply[]> {
    const r = await t.call('POST', '/api/v1/stores/demo/chat', { session, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.replies as Reply[];
  }
  const say = (s: string, text: string) => chat(s, { text });
  const tap = (s: string, b: Button | undefined) => {
    expect(b?.action, 'button to tap').toBeDefined();
    return chat(s, { action: b?.action ?? '' });
  };
  const of = (replies: Reply[], type: string) => {
    const r = replies.find((x) => x.type === type);
    expect(r, `a ${type} reply in ${JSON.stringify(replies)}`).toBeDefined();
    return r as Reply;
  };
  /** The cart as the shopper's "View cart" button shows it (no model involved). */
  const cartOf = (s: string) => chat(s, { action: '1k' });
  const variantOf = async (slug: string, label?: RegExp) => {
    const r = await t.call('GET', `/api/v1/stores/demo/products/${slug}`);
    expect(r.status).toBe(200);
    const v = (r.body.variants as { id: string; title: string; price: { amount: number } }[]).find((x) => !label || label.test(x.title));
    expect(v).toBeDefined();
    return v as { id: string; title: string; price: { amount: number } };
  };

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    t = await createTestApp(kind, { env: { OPENAI_API_KEY: 'sk-test-fake', OPENAI_BASE_URL: fake.baseURL, OPENAI_TIMEOUT_MS: String(TIMEOUT_MS) } });
    await seedDemoStore(t.container.services.catalog);
    // A first turn warms the client, the connection and the search caches.
    await say(newSession(), 'hello');
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('runs search_products and shows the engine\'s cards with prices from the database, after a tool round trip', async () => {
    fake.respondChat(
      { toolCalls: [{ id: 'call_search', name: 'search_products', arguments: { q: 'hoodie', max_price: 60, sort: 'price_asc' } }] },
      { content: 'Here are our hoodies under €60.00.' },
    );
    const replies = await say(newSession(), 'something warm to wear, not more than sixty euros');
    expect(replies[0]).toMatchObject({ type: 'text', text: 'Here are our hoodies under €60.00.' });
    const list = of(replies, 'products');
    expect(list.items?.map((i) => [i.title, i.priceText])).toEqual([
      ['Lightweight Hoodie', '€49.00'],
      ['Classic Hoodie', '€59.00'],
    ]);

    const [first, second] = fake.chatRequests();
    expect(first?.tools).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: 'add_to_cart' }) })]));
    const sent = second?.messages as { role: string; content: string | null; tool_call_id?: string; tool_calls?: unknown[] }[];
    const assistant = sent.find((m) => m.role === 'assistant');
    expect(assistant?.tool_calls).toEqual([expect.objectContaining({ id: 'call_search', type: 'function', function: expect.objectContaining({ name: 'search_products' }) })]);
    const tool = sent.find((m) => m.role === 'tool');
    expect(tool?.tool_call_id).toBe('call_search');
    expect(tool?.content).toContain('Classic Hoodie');
    expect(tool?.content).toContain('€59.00');
  });

  it('drops a model sentence whose price the database did not give, and keeps the real cards', async () => {
    fake.respondChat({ toolCalls: [{ name: 'search_products', arguments: { q: 'classic mug' } }] }, { content: 'The Classic Mug is only €1.99 today!' });
    const replies = await say(newSession(), 'a mug please');
    expect(replies.map((r) => r.text ?? '').join(' ')).not.toContain('1.99');
    expect(of(replies, 'products').items?.[0]).toMatchObject({ title: 'Classic Mug', priceText: '€12.00' });
  });

  it('turns add_to_cart into a Yes/No confirmation; the cart changes only when Yes is tapped', async () => {
    const s = newSession();
    const mug = await variantOf('classic-mug');
    fake.respondChat({ toolCalls: [{ name: 'add_to_cart', arguments: { variant_id: mug.id, quantity: 2 } }] }, { content: 'Please confirm.' });
    const replies = await say(s, 'put two classic mugs in my basket');
    const ask = replies.find((r) => r.buttons?.some((b) => /^Yes/.test(b.label)));
    expect(ask?.text).toBe('Add 2 × Classic Mug (€12.00) to your cart?');
    expect(ask?.buttons?.map((b) => b.label)).toEqual(['Yes, add it', 'No']);
    expect((await cartOf(s))[0]?.text).toMatch(/empty/);

    const added = await tap(s, ask?.buttons?.find((b) => /^Yes/.test(b.label)));
    expect(added[0]?.text).toBe('Added 2 × Classic Mug to your cart.');
    expect(of(await cartOf(s), 'cart').totalText).toBe('Total: €24.00');
  });

  it('rejects invented product and variant ids back to the model; nothing is added', async () => {
    const s = newSession();
    fake.respondChat(
      {
        toolCalls: [
          { id: 'call_fake_variant', name: 'add_to_cart', arguments: { variant_id: 'cl_invented_variant_0001', quantity: 1 } },
          { id: 'call_fake_product', name: 'product_details', arguments: { product_id: 'cl_invented_product_001' } },
        ],
      },
      { content: "Sorry, I couldn't find that item in this shop." },
    );
    const replies = await say(s, 'add the golden espresso machine');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toBe("Sorry, I couldn't find that item in this shop.");
    expect(replies.some((r) => r.buttons?.some((b) => /^Yes/.test(b.label)))).toBe(false);

    const tools = (fake.chatRequests()[1]?.messages as { role: string; tool_call_id?: string; content: string }[]).filter((m) => m.role === 'tool');
    expect(tools.map((m) => m.tool_call_id)).toEqual(['call_fake_variant', 'call_fake_product']);
    for (const m of tools) expect(JSON.parse(m.content)).toMatchObject({ ok: false, error: expect.stringMatching(/no (variant|product)/) });
    expect((await cartOf(s))[0]?.text).toMatch(/empty/);
  });

  it('the checkout tool shows the cart with its Checkout button; only the shopper\'s tap places the order', async () => {
    const s = newSession();
    const mug = await variantOf('classic-mug');
    expect((await chat(s, { action: `1a:${mug.id}:1` }))[0]?.text).toBe('Added 1 × Classic Mug to your cart.');
    const orders = await t.container.db.order.count();
    fake.respondChat({ toolCalls: [{ name: 'checkout', arguments: {} }] }, { content: 'Tap Checkout when you are ready.' });
    const replies = await say(s, 'I am done, let me pay');
    const cart = of(replies, 'cart');
    expect(cart.totalText).toBe('Total: €12.00');
    expect(await t.container.db.order.count()).toBe(orders);
    const placed = await tap(s, cart.buttons?.find((b) => b.label === 'Checkout'));
    expect(of(placed, 'checkout').text).toMatch(/^Order #\d+ is reserved for you/);
  });

  it('falls back to the local parser when the model is slower than OPENAI_TIMEOUT_MS', async () => {
    fake.respondChat({ delayMs: 5_000, content: 'too late' });
    const started = Date.now();
    const replies = await say(newSession(), 'cheapest mug');
    const elapsed = Date.now() - started;
    expect(of(replies, 'products').items?.[0]).toMatchObject({ title: 'Classic Mug', priceText: '€12.00' });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_500);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('falls back to the local parser when the model answers 500 (no retry on the chat path)', async () => {
    fake.respondChat({ status: 500 });
    const replies = await say(newSession(), 'cheapest mug');
    expect(of(replies, 'products').items?.[0]).toMatchObject({ title: 'Classic Mug' });
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('remembers a short history: the next turn sends what was shown', async () => {
    const s = newSession();
    fake.respondChat({ toolCalls: [{ name: 'search_products', arguments: { q: 'classic mug' } }] }, { content: 'Found it.' });
    await say(s, 'classic mug');
    fake.respondChat({ content: 'You are welcome.' });
    const replies = await say(s, 'thanks');
    expect(replies[0]?.text).toBe('You are welcome.');
    const messages = fake.chatRequests()[2]?.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[2]?.content).toMatch(/Classic Mug \(product_id \w+\)/);
  });
});
