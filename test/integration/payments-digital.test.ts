import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-api.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { buy, demoDecide, demoPage, orderOf } from '../helpers/shop.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const BUYERS = 12;
const FIRST_KEYS = 5;

describe.each(databases)(`digital goods: deliverables and license keys (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  const notes = new RecordingNotifier();
  const base = '/api/v1/stores/dg/products';
  let keyPool = '';

  beforeAll(async () => {
    t = await createTestApp(kind, { notifier: notes });
    expect((await t.call('POST', '/api/v1/stores', { slug: 'dg', name: 'Digital', currency: 'EUR' }, adminHeaders)).status).toBe(201);
    const product = (title: string, sku: string) => t.call('POST', base, { title, variants: [{ sku, price: 1500, onHand: 100, weightGrams: 0 }] }, adminHeaders);
    expect((await product('Photo Pro licence', 'dg-KEY')).status).toBe(201);
    expect((await product('Recipe e-book', 'dg-BOOK')).status).toBe(201);
    const pool = await t.call('POST', `${base}/photo-pro-licence/deliverables`, { kind: 'license_key', label: 'Activation key' }, adminHeaders);
    expect(pool.status).toBe(201);
    keyPool = pool.body.id as string;
    expect((await t.call('POST', `${base}/recipe-e-book/deliverables`, { kind: 'file', label: 'PDF', url: 'https://files.example/recipes.pdf' }, adminHeaders)).status).toBe(201);
    expect((await t.call('POST', `${base}/recipe-e-book/deliverables`, { kind: 'text', text: 'Thank you! Start with page 12.' }, adminHeaders)).status).toBe(201);
  });
  afterAll(() => t.close());

  const pay = async (orderId: string) => demoDecide(t, orderId, 'approve', (await demoPage(t, orderId)).token ?? '');

  it('refuses bad deliverables and key uploads with clear errors', async () => {
    expect((await t.call('POST', `${base}/recipe-e-book/deliverables`, { kind: 'file', url: 'ftp://x' }, adminHeaders)).status).toBe(400);
    const second = await t.call('POST', `${base}/photo-pro-licence/deliverables`, { kind: 'license_key' }, adminHeaders);
    expect(second.status).toBe(409);
    expect((await t.call('POST', `${base}/recipe-e-book/deliverables/${keyPool}/keys`, { keys: ['A'] }, adminHeaders)).status).toBe(404);
    expect((await t.call('POST', `${base}/photo-pro-licence/deliverables/${keyPool}/keys`, { keys: ['  ', ''] }, adminHeaders)).status).toBe(400);
    expect((await t.call('POST', `${base}/photo-pro-licence/deliverables/${keyPool}/keys`, { keys: ['A'] })).status).toBe(401);
  });

  it('a file and a text are handed over once on payment; approving again delivers nothing more', async () => {
    const r = await buy(t, 'dg', { 'dg-BOOK': 2 });
    const id = r.body.order.id as string;
    const { token } = await demoPage(t, id);
    await demoDecide(t, id, 'approve', token ?? '');
    const again = await Promise.all([demoDecide(t, id, 'approve', token ?? ''), demoDecide(t, id, 'approve', token ?? '')]);
    for (const a of again) expect(a.html).toContain('already paid');
    const order = await orderOf(t, 'dg', id);
    expect(order.deliveries).toEqual([
      expect.objectContaining({ product: 'Recipe e-book', kind: 'file', label: 'PDF', content: 'https://files.example/recipes.pdf', status: 'delivered' }),
      expect.objectContaining({ kind: 'text', content: 'Thank you! Start with page 12.', status: 'delivered' }),
    ]);
    const sent = notes.deliveriesOf(id);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.notice.delivered.map((d) => d.content)).toEqual(['https://files.example/recipes.pdf', 'Thank you! Start with page 12.']);
    expect(sent[0]?.notice.pending).toEqual([]);
  });

  it(`${BUYERS} concurrent payments for ${FIRST_KEYS} keys: each key handed out once, the rest owed, and new keys fill them oldest first`, async () => {
    const keys = Array.from({ length: FIRST_KEYS }, (_, i) => `KEY-A-${i}`);
    const upload = await t.call('POST', `${base}/photo-pro-licence/deliverables/${keyPool}/keys`, { keys: [...keys, keys[0], ' '] }, adminHeaders);
    expect(upload.status).toBe(201);
    expect(upload.body).toEqual({ added: FIRST_KEYS, duplicates: 1, available: FIRST_KEYS, ordersFilled: 0 });
    const orders: string[] = [];
    for (let i = 0; i < BUYERS; i++) orders.push((await buy(t, 'dg', { 'dg-KEY': 1 })).body.order.id as string);

    const paid = await Promise.all(orders.map((id) => pay(id)));
    for (const p of paid) expect(p.html).toContain('Payment approved');

    const after = await Promise.all(orders.map((id) => orderOf(t, 'dg', id)));
    for (const o of after) expect(o.status).toBe('paid');
    const handed = after.flatMap((o) => o.deliveries.filter((d: { content: string | null }) => d.content !== null).map((d: { content: string }) => d.content));
    expect(handed.sort()).toEqual([...keys].sort());
    const owed = after.filter((o) => o.deliveries.some((d: { status: string }) => d.status === 'pending'));
    expect(owed).toHaveLength(BUYERS - FIRST_KEYS);
    // Buyers who got no key were told it follows (and the staff notifier saw the same notice).
    for (const o of owed) expect(notes.deliveriesOf(o.id)).toEqual([expect.objectContaining({ notice: expect.objectContaining({ delivered: [], pending: [expect.objectContaining({ kind: 'license_key' })] }) })]);
    const pool = await t.call('GET', `${base}/photo-pro-licence/deliverables`, undefined, adminHeaders);
    expect(pool.body.items[0].keys).toEqual({ available: 0, assigned: FIRST_KEYS });

    // One owed buyer cancels (refunded in full): the keys added next are not spent on that order.
    const gone = owed.pop();
    expect((await t.call('POST', `/api/v1/stores/dg/orders/${gone.id}/transitions`, { to: 'cancelled' }, adminHeaders)).body.status).toBe('cancelled');
    const live = orders.filter((id) => id !== gone.id);

    const more = Array.from({ length: 10 }, (_, i) => `KEY-B-${i}`);
    const refill = await t.call('POST', `${base}/photo-pro-licence/deliverables/${keyPool}/keys`, { keys: [...more, keys[1]] }, adminHeaders);
    expect(refill.body).toEqual({ added: 10, duplicates: 1, available: 10 - (BUYERS - FIRST_KEYS - 1), ordersFilled: BUYERS - FIRST_KEYS - 1 });
    const final = await Promise.all(live.map((id) => orderOf(t, 'dg', id)));
    const all = final.map((o) => o.deliveries[0]?.content as string);
    expect(all.every(Boolean)).toBe(true);
    expect(new Set(all).size).toBe(BUYERS - 1);
    expect((await orderOf(t, 'dg', gone.id)).deliveries[0].status).toBe('pending');
    // The owed buyers got exactly one more message, with their key.
    for (const o of owed) {
      const sent = notes.deliveriesOf(o.id);
      expect(sent).toHaveLength(2);
      expect(sent[1]?.notice.delivered.map((d) => d.content)).toEqual([final.find((f) => f.id === o.id)?.deliveries[0]?.content]);
    }
    // Adding keys again hands out nothing twice.
    expect((await t.call('POST', `${base}/photo-pro-licence/deliverables/${keyPool}/keys`, { keys: ['KEY-C-0'] }, adminHeaders)).body.ordersFilled).toBe(0);
  });

  it('two units of a licensed product get two different keys', async () => {
    const r = await buy(t, 'dg', { 'dg-KEY': 2 });
    await pay(r.body.order.id as string);
    const o = await orderOf(t, 'dg', r.body.order.id as string);
    expect(o.deliveries).toHaveLength(2);
    expect(new Set(o.deliveries.map((d: { content: string }) => d.content)).size).toBe(2);
  });
});

describe.each(databases)(`digital goods paid through Stripe webhooks (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let stripe: FakeStripe;
  const notes = new RecordingNotifier();
  const SECRET = 'whsec_test_digital';
  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = await createTestApp(kind, { notifier: notes, env: { STRIPE_SECRET_KEY: 'sk_test_chatshop', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_BASE: stripe.url } });
    expect((await t.call('POST', '/api/v1/stores', { slug: 'dgs', name: 'Digital Stripe', currency: 'EUR' }, adminHeaders)).status).toBe(201);
    expect((await t.call('POST', '/api/v1/stores/dgs/products', { title: 'Font licence', variants: [{ sku: 'dgs-FONT', price: 2000, onHand: 10, weightGrams: 0 }] }, adminHeaders)).status).toBe(201);
    const pool = await t.call('POST', '/api/v1/stores/dgs/products/font-licence/deliverables', { kind: 'license_key' }, adminHeaders);
    await t.call('POST', `/api/v1/stores/dgs/products/font-licence/deliverables/${pool.body.id}/keys`, { keys: ['FONT-1', 'FONT-2'] }, adminHeaders);
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });

  it('the same completion delivered three times at once, then async_payment_succeeded: one key, sent once', async () => {
    const r = await buy(t, 'dgs', { 'dgs-FONT': 1 });
    const session = stripe.pay(/\/(cs_test_\d+)$/.exec(r.body.payment.url as string)?.[1] ?? '');
    const deliver = (type: string, id?: string) => {
      const w = stripe.webhook(type, session, SECRET, id ? { id } : {});
      return t.app.request('/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': w.signature }, body: w.payload });
    };
    const answers = await Promise.all([deliver('checkout.session.completed', 'evt_dg_1'), deliver('checkout.session.completed', 'evt_dg_1'), deliver('checkout.session.completed', 'evt_dg_1')]);
    for (const a of answers) expect(a.status).toBe(200);
    expect((await deliver('checkout.session.async_payment_succeeded')).status).toBe(200);
    const order = await orderOf(t, 'dgs', r.body.order.id as string);
    expect(order.status).toBe('paid');
    expect(order.deliveries).toEqual([expect.objectContaining({ kind: 'license_key', content: 'FONT-1', status: 'delivered' })]);
    expect(notes.deliveriesOf(order.id)).toHaveLength(1);
    const pool = await t.call('GET', '/api/v1/stores/dgs/products/font-licence/deliverables', undefined, adminHeaders);
    expect(pool.body.items[0].keys).toEqual({ available: 1, assigned: 1 });
  });
});
