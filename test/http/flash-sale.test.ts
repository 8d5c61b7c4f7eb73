import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { ManualClock } from '../../src/shared/time.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

type Reply = { type: string; text?: string; totalText?: string; items?: { title: string; stockHint: string }[] };

describe.each(databases)(`flash sales (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-11-26T12:00:00Z'));
  const chat = async (session: string, text: string) => (await t.call('POST', '/api/v1/stores/demo/chat', { session, text })).body.replies as Reply[];

  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    await seedDemoStore(t.container.services.catalog);
    const sale = await t.call('POST', '/api/v1/stores/demo/promotions', { code: 'MUGWEEK', kind: 'percent', percentOff: 25, categories: ['drinkware'], automatic: true, endsAt: '2026-11-26T15:20:00Z' }, adminHeaders);
    expect(sale.status).toBe(201);
    expect(sale.body.automatic).toBe(true);
  });
  afterAll(() => t.close());

  it('applies to carts in scope without a code, and a typed code takes its place', async () => {
    const cart = (await t.call('POST', '/api/v1/stores/demo/carts')).body.id as string;
    const added = await t.call('POST', `/api/v1/stores/demo/carts/${cart}/items`, { sku: 'MUG-CLASSIC', quantity: 2 });
    expect(added.body.totals).toMatchObject({ subtotal: { amount: 2400 }, discount: { amount: 600 } });
    expect(added.body.promotion).toEqual({ code: 'MUGWEEK', applies: true, freeShipping: false, automatic: true });
    // Out of scope: no sale.
    const other = (await t.call('POST', '/api/v1/stores/demo/carts')).body.id as string;
    const notebook = await t.call('POST', `/api/v1/stores/demo/carts/${other}/items`, { sku: 'NOTEBOOK-A5', quantity: 1 });
    expect(notebook.status).toBe(200);
    expect(notebook.body.totals.discount.amount).toBe(0);
    expect(notebook.body.promotion).toBeNull();
    // A typed code that applies takes the sale's place: one promotion per cart.
    expect((await t.call('POST', '/api/v1/stores/demo/promotions', { code: 'TENOFF', kind: 'fixed', amountOff: 1000 }, adminHeaders)).status).toBe(201);
    const typed = await t.call('PUT', `/api/v1/stores/demo/carts/${cart}/promotion`, { code: 'TENOFF' });
    expect(typed.body.totals.discount.amount).toBe(1000);
    expect(typed.body.promotion).toMatchObject({ code: 'TENOFF', automatic: false });
  });

  it('shows a badge with a countdown on product cards and a Sale line in the chat cart, then ends by itself', async () => {
    const list = await chat('flash-sale-session-1', 'cheapest mug');
    const card = list.find((r) => r.type === 'products')?.items?.[0];
    expect(card?.stockHint).toMatch(/🔥 Sale −25%, ends in 3h 20m$/);
    await chat('flash-sale-session-1', 'add the first one');
    const cart = (await chat('flash-sale-session-1', 'show my cart')).find((r) => r.type === 'cart');
    expect(cart?.totalText).toMatch(/^Sale: −/m);

    clock.advance(3 * 3600_000 + 21 * 60_000);
    const after = (await chat('flash-sale-session-1', 'show my cart')).find((r) => r.type === 'cart');
    expect(after?.totalText).not.toMatch(/Sale/);
    const later = (await chat('flash-sale-session-1', 'cheapest mug')).find((r) => r.type === 'products')?.items?.[0];
    expect(later?.stockHint).not.toMatch(/Sale/);
  });
});
