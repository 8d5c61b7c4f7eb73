import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { cartWith, checkoutCart, MINUTE, RecordingSender, setAutomations, ShiftedClock, shopper, utcMinute } from '../helpers/automation-kit.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

const DAY = 24 * 60 * MINUTE;

describe.each(databases)(`automations: price drop, review request, back in stock (%s)${pgSkipReason}`, (kind) => {
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

  const variantOf = (sku: string) => t.container.db.variant.findFirstOrThrow({ where: { storeId, sku }, select: { id: true, productId: true } });
  const setPrice = async (sku: string, price: number) => {
    const v = await variantOf(sku);
    const res = await t.call('PATCH', `/api/v1/stores/demo/products/${v.productId}/variants/${sku}`, { price }, adminHeaders);
    expect(res.status).toBe(200);
  };
  const viewed = async (customerId: string, productId: string, daysAgo = 1) =>
    t.container.db.analyticsEvent.create({ data: { storeId, type: 'view', customerId, productId, channel: 'telegram', createdAt: new Date(clock.now().getTime() - daysAgo * DAY) } });

  it('alerts subscribers who viewed the product, once per drop, and only while switched on', async () => {
    const { productId } = await variantOf('MUG-ENAMEL');
    const pv = await shopper(t, storeId, 'pv', true);
    await shopper(t, storeId, 'pw', true); // subscribed, never looked at it
    const px = await shopper(t, storeId, 'px', false);
    const py = await shopper(t, storeId, 'py', true);
    await viewed(pv, productId);
    await viewed(px, productId);
    await viewed(py, productId, 40);
    const sender = new RecordingSender();
    const runner = t.container.automationRunner([sender], { rules: noRules });

    await setPrice('MUG-ENAMEL', 1300);
    await runner.tick();
    expect(sender.sent).toHaveLength(0); // off by default: no alert, no watch

    await setAutomations(t, { priceDrop: { enabled: true } });
    await runner.tick(); // first look: remembers today's prices
    expect(sender.sent).toHaveLength(0);
    await setPrice('MUG-ENAMEL', 1100);
    await runner.tick();
    await runner.tick();
    expect(sender.sent.map((s) => s.address)).toEqual(['pv']);
    expect(sender.sent[0]?.message.text).toMatch(/Enamel Camp Mug, which you looked at, is now .*11.*was .*13/);
    expect(sender.sent[0]?.message.product?.id).toBe(productId);

    await setPrice('MUG-ENAMEL', 1400); // up: nothing
    await runner.tick();
    await setPrice('MUG-ENAMEL', 1000); // a new drop: a new alert
    await runner.tick();
    expect(sender.sent.map((s) => s.address)).toEqual(['pv', 'pv']);

    await setAutomations(t, { priceDrop: { enabled: false } });
    await setPrice('MUG-ENAMEL', 800);
    await runner.tick();
    expect(sender.sent).toHaveLength(2);
  });

  it('asks for a review N days after delivery, once, and only with consent', async () => {
    await setAutomations(t, { reviewRequest: { enabled: true, delayDays: 7 } });
    const orderFor = async (user: string, subscribed: boolean) => {
      const cart = await cartWith(t, await shopper(t, storeId, user, subscribed), { 'MUG-LARGE': 1 });
      const { order } = await checkoutCart(t, cart, `${user}-key`);
      for (const to of ['paid', 'fulfilled', 'delivered'] as const) {
        const r = await t.container.services.orders.transition(storeId, order.id, to, 'test');
        expect(r.ok).toBe(true);
      }
      return order as { id: string; number: number };
    };
    const rv = await orderFor('rv', true);
    await orderFor('rn', false);
    const sender = new RecordingSender();
    const runner = t.container.automationRunner([sender], { rules: noRules });
    clock.advance(6 * DAY);
    await runner.tick();
    expect(sender.sent).toHaveLength(0);
    clock.advance(DAY + MINUTE);
    await runner.tick();
    await runner.tick();
    expect(sender.sent.map((s) => s.address)).toEqual(['rv']);
    expect(sender.sent[0]?.message.text).toContain(`order #${rv.number}`);
  });

  it('"Notify me": one alert when stock is back, in spite of no subscription; held by quiet hours; not after an opt-out', async () => {
    const alerts = t.container.engineDeps.stockAlerts;
    if (!alerts) throw new Error('stock alerts are not wired');
    const v = await variantOf('MUG-CLASSIC');
    expect((await t.call('PUT', '/api/v1/stores/demo/inventory/MUG-CLASSIC', { onHand: 0 }, adminHeaders)).status).toBe(200);
    const sa = await shopper(t, storeId, 'sa', false);
    const sb = await shopper(t, storeId, 'sb', true);
    expect(await alerts.notifyMe(storeId, sa, 'telegram', v.id, v.productId)).toBe('requested');
    expect(await alerts.notifyMe(storeId, sa, 'telegram', v.id, v.productId)).toBe('already_requested');
    expect(await alerts.notifyMe(storeId, sb, 'telegram', v.id, v.productId)).toBe('requested');
    expect(await alerts.notifyMe(storeId, sb, 'web', v.id, v.productId)).toBe('no_channel');
    clock.advance(MINUTE);
    await t.container.services.consent.unsubscribe(storeId, sb, 'telegram', 'stop_command');

    const start = utcMinute(clock.now());
    const sender = new RecordingSender();
    const runner = t.container.automationRunner([sender], { rules: { ...noRules, quietHours: { start, end: (start + 30) % 1440 }, frequencyCap: { max: 0, perHours: 24 } } });
    await runner.tick();
    expect(sender.sent).toHaveLength(0); // still sold out
    expect((await t.call('PUT', '/api/v1/stores/demo/inventory/MUG-CLASSIC', { onHand: 5 }, adminHeaders)).status).toBe(200);
    await runner.tick();
    expect(sender.sent).toHaveLength(0); // quiet hours
    clock.advance(31 * MINUTE);
    await Promise.all([runner.tick(), runner.tick()]);
    await runner.tick();
    expect(sender.sent.map((s) => s.address)).toEqual(['sa']);
    expect(sender.sent[0]?.message.text).toMatch(/Classic Mug is back in stock/);
    expect(sender.sent[0]?.message.product?.id).toBe(v.productId);
    // The request is done: selling out and restocking again sends nothing more.
    await t.call('PUT', '/api/v1/stores/demo/inventory/MUG-CLASSIC', { onHand: 0 }, adminHeaders);
    await runner.tick();
    await t.call('PUT', '/api/v1/stores/demo/inventory/MUG-CLASSIC', { onHand: 3 }, adminHeaders);
    await runner.tick();
    expect(sender.sent).toHaveLength(1);
  });
});
