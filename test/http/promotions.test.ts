import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const base = '/api/v1/stores/demo/promotions';

describe.each(databases)(`promotions over REST (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let storeId = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => t.close());

  it('creates a code with scope and limits, upper-cased, and refuses the same code twice', async () => {
    const res = await t.call(
      'POST',
      base,
      { code: 'mugs10', kind: 'percent', percentOff: 10, categories: ['drinkware'], minSubtotal: 1000, perCustomerLimit: 1, endsAt: '2099-01-01T00:00:00Z' },
      adminHeaders,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'MUGS10', kind: 'percent', percentOff: 10, currency: 'EUR', minSubtotal: 1000, perCustomerLimit: 1, active: true });
    expect(res.body.categoryIds).toHaveLength(1);
    const again = await t.call('POST', base, { code: 'MUGS10', kind: 'free_shipping' }, adminHeaders);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('MUGS10');
  });

  it('says what is wrong with a promotion, field by field, and creates nothing', async () => {
    const res = await t.call('POST', base, { code: 'x', kind: 'fixed', startsAt: '2026-12-02T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' }, adminHeaders);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['code', 'amountOff', 'endsAt']);
    const unknown = await t.call('POST', base, { code: 'NOPE', kind: 'percent', percentOff: 5, products: ['no-such-thing'] }, adminHeaders);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('no-such-thing');
    const list = await t.call('GET', base, undefined, adminHeaders);
    expect(list.body.items.map((p: { code: string }) => p.code)).toEqual(['MUGS10']);
  });

  it('checks a code against a cart: scope, minimum, first order, switched off', async () => {
    const { promotions } = t.container.services;
    const mug = await t.container.services.catalog.product(storeId, 'classic-mug');
    const hoodie = await t.container.services.catalog.product(storeId, 'classic-hoodie');
    const line = (id: string, p: typeof mug, quantity: number) => ({ id, productId: p.id, categoryId: p.category?.id ?? null, unitPrice: p.minPrice, quantity });
    const cart = { currency: 'EUR', lines: [line('l1', mug, 2), line('l2', hoodie, 1)] };
    const customer = await t.container.services.customers.identify(storeId, { channel: 'web', externalUserId: 'promo-shopper' });
    // A per-customer limit needs to know the customer.
    expect(await promotions.check(storeId, 'MUGS10', cart, null)).toMatchObject({ ok: false, refusal: { code: 'SIGN_IN_REQUIRED' } });
    const ok = await promotions.check(storeId, ' mugs10 ', cart, customer.id);
    expect(ok.ok && ok.outcome.lineDiscounts).toEqual({ l1: Math.round((mug.minPrice * 2) / 10) });
    const small = await promotions.check(storeId, 'MUGS10', { currency: 'EUR', lines: [line('l1', { ...mug, minPrice: 400 }, 1)] }, customer.id);
    expect(!small.ok && small.refusal).toEqual({ code: 'MIN_SUBTOTAL', minSubtotal: 1000 });
    expect((await promotions.check(storeId, 'WHAT', cart, null)).ok).toBe(false);

    expect((await t.call('POST', base, { code: 'WELCOME', kind: 'fixed', amountOff: 500, firstOrderOnly: true }, adminHeaders)).status).toBe(201);
    const first = await promotions.check(storeId, 'welcome', cart, customer.id);
    expect(first.ok && first.outcome.discount).toBe(500);
    const anonymous = await promotions.check(storeId, 'welcome', cart, null);
    expect(!anonymous.ok && anonymous.refusal.code).toBe('SIGN_IN_REQUIRED');

    const off = await t.call('PATCH', `${base}/welcome`, { active: false }, adminHeaders);
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const refused = await promotions.check(storeId, 'WELCOME', cart, customer.id);
    expect(!refused.ok && refused.refusal.code).toBe('INACTIVE');
    expect((await t.call('PATCH', `${base}/nothing`, { active: false }, adminHeaders)).status).toBe(404);
  });

  it('is for admins only', async () => {
    expect((await t.call('GET', base)).status).toBe(401);
    expect((await t.call('POST', base, { code: 'FREE', kind: 'free_shipping' })).status).toBe(401);
  });
});
