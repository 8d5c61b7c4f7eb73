import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { cartWith, checkoutCart, MINUTE, RecordingSender, setAutomations, ShiftedClock, shopper, utcMinute } from '../helpers/automation-kit.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

describe.each(databases)(`automations: settings and abandoned-cart reminder (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let storeId = '';
  const clock = new ShiftedClock();
  const noRules = { quietHours: null, timeZone: 'UTC', frequencyCap: null };

  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => t.close());

  it('has defaults (only back-in-stock on), changes what a PATCH names and refuses bad input without losing anything', async () => {
    const initial = await t.call('GET', '/api/v1/stores/demo/automations', undefined, adminHeaders);
    expect(initial.body).toEqual({
      abandonedCart: { enabled: false, delayMinutes: 120 },
      backInStock: { enabled: true },
      priceDrop: { enabled: false },
      reviewRequest: { enabled: false, delayDays: 7 },
    });
    expect((await t.call('GET', '/api/v1/stores/demo/automations')).status).toBe(401);
    const bad = await t.call('PATCH', '/api/v1/stores/demo', { name: 'Renamed', automations: { abandonedCart: { enabled: true, delayMinutes: 1 }, sms: {} } }, adminHeaders);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/delayMinutes/);
    expect((await t.call('GET', '/api/v1/stores/demo/automations', undefined, adminHeaders)).body).toEqual(initial.body);
    expect((await t.call('GET', '/api/v1/stores/demo')).body.name).not.toBe('Renamed');

    const patched = await t.call('PATCH', '/api/v1/stores/demo', { automations: { reviewRequest: { delayDays: 3 } } }, adminHeaders);
    expect(patched.status).toBe(200);
    expect(patched.body.automations.reviewRequest).toEqual({ enabled: false, delayDays: 3 });
    const renamed = await t.call('PATCH', '/api/v1/stores/demo', { name: 'Demo Shop' }, adminHeaders);
    expect(renamed.body).toMatchObject({ name: 'Demo Shop', automations: { reviewRequest: { delayDays: 3 }, backInStock: { enabled: true } } });
  });

  it('reminds a subscribed shopper once after the delay; not while switched off, not without consent, not after checkout', async () => {
    const sender = new RecordingSender();
    const runner = t.container.automationRunner([sender], { rules: noRules });
    const ann = await shopper(t, storeId, 'ann', true);
    const bob = await shopper(t, storeId, 'bob', false);
    const cy = await shopper(t, storeId, 'cy', true);
    await cartWith(t, ann, { 'MUG-CLASSIC': 2 });
    await cartWith(t, bob, { 'MUG-CLASSIC': 1 });
    const cyCart = await cartWith(t, cy, { 'MUG-ENAMEL': 1 });

    clock.advance(3 * 60 * MINUTE);
    await runner.tick();
    expect(sender.sent).toHaveLength(0); // switched off by default

    await setAutomations(t, { abandonedCart: { enabled: true } });
    await checkoutCart(t, cyCart, 'cy-checkout');
    await runner.tick();
    expect(sender.sent.map((s) => s.address)).toEqual(['ann']);
    expect(sender.sent[0]?.message.text).toMatch(/You left Classic Mug ×2 in your cart/);
    expect(sender.sent[0]?.message.product?.title).toBe('Classic Mug');

    clock.advance(24 * 60 * MINUTE);
    await runner.tick();
    await runner.tick();
    expect(sender.sent.map((s) => s.address)).toEqual(['ann']);
  });

  it('waits out quiet hours, then sends; a checkout meanwhile cancels the reminder', async () => {
    const dee = await shopper(t, storeId, 'dee', true);
    const eve = await shopper(t, storeId, 'eve', true);
    await cartWith(t, dee, { 'MUG-LARGE': 1 });
    const eveCart = await cartWith(t, eve, { 'MUG-LARGE': 1 });
    // Quiet from 2 h from now, for an hour (UTC, the customers' zone being unknown).
    const start = (utcMinute(clock.now()) + 120) % 1440;
    const sender = new RecordingSender();
    const runner = t.container.automationRunner([sender], { rules: { ...noRules, quietHours: { start, end: (start + 60) % 1440 } } });

    clock.advance(125 * MINUTE);
    await runner.tick();
    expect(sender.sent).toHaveLength(0);
    await checkoutCart(t, eveCart, 'eve-checkout');
    clock.advance(30 * MINUTE);
    await runner.tick();
    expect(sender.sent).toHaveLength(0);
    clock.advance(31 * MINUTE);
    await runner.tick();
    await runner.tick();
    expect(sender.sent.map((s) => s.address)).toEqual(['dee']);
  });

  it('sends each reminder exactly once when two runners tick at the same time', async () => {
    const users = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
    for (const u of users) await cartWith(t, await shopper(t, storeId, u, true), { 'MUG-ESPRESSO': 1 });
    clock.advance(121 * MINUTE);
    const a = new RecordingSender();
    const b = new RecordingSender();
    const ra = t.container.automationRunner([a], { rules: noRules });
    const rb = t.container.automationRunner([b], { rules: noRules });
    await Promise.all([ra.tick(), rb.tick(), ra.tick(), rb.tick()]);
    await Promise.all([ra.tick(), rb.tick()]);
    const all = [...a.sent, ...b.sent].map((s) => s.address).sort();
    expect(all).toEqual(users);
  });
});
