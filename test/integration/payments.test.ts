import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/time.ts';
import { buy, createShop, demoDecide, demoPage, orderOf, stockOf } from '../helpers/shop.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

describe.each(databases)(`demo payments, refunds and seller actions (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-11-27T10:00:00Z'));
  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    await createShop(t, 'demo-pay');
  });
  afterAll(() => t.close());

  it('checkout hands out the demo page, which says it is a demo and shows the order', async () => {
    const r = await buy(t, 'demo-pay', { 'demo-pay-MUG': 2 });
    expect(r.status).toBe(201);
    expect(r.body.payment).toMatchObject({ provider: 'demo', status: 'pending', amount: { amount: 2500, currency: 'EUR' } });
    expect(r.body.payment.url).toBe(`http://localhost:3000/pay/demo/${r.body.order.id}`);
    const page = await demoPage(t, r.body.order.id);
    expect(page.status).toBe(200);
    expect(page.html).toContain('DEMO — no money moves');
    expect(page.html).toContain(`Order #${r.body.order.number}`);
    expect(page.html).toContain('2 × Enamel Mug');
    expect(page.html).toContain('25.00 EUR');
    expect(page.html).toMatch(/Approve payment/);
    expect(page.token).toBeTruthy();
    expect((await demoPage(t, 'no-such-order')).status).toBe(404);
  });

  it('approve: the order is paid once, stock leaves the shelf, the payment succeeds; approving again changes nothing', async () => {
    const before = await stockOf(t, 'demo-pay', 'demo-pay-MUG');
    const r = await buy(t, 'demo-pay', { 'demo-pay-MUG': 3 });
    const id = r.body.order.id as string;
    expect(await stockOf(t, 'demo-pay', 'demo-pay-MUG')).toMatchObject({ onHand: before.onHand, reserved: before.reserved + 3 });
    const { token } = await demoPage(t, id);
    const approved = await demoDecide(t, id, 'approve', token ?? '');
    expect(approved.status).toBe(200);
    expect(approved.html).toContain('Payment approved');
    const again = await Promise.all([demoDecide(t, id, 'approve', token ?? ''), demoDecide(t, id, 'approve', token ?? '')]);
    for (const a of again) expect(a.html).toContain('already paid. Nothing was charged again');

    const order = await orderOf(t, 'demo-pay', id);
    expect(order.status).toBe('paid');
    expect(order.payments).toEqual([expect.objectContaining({ provider: 'demo', status: 'succeeded', amount: { amount: 3750, currency: 'EUR' } })]);
    expect(order.events.filter((e: { to: string }) => e.to === 'paid')).toHaveLength(1);
    expect(await stockOf(t, 'demo-pay', 'demo-pay-MUG')).toMatchObject({ onHand: before.onHand - 3, reserved: before.reserved });
    const page = await demoPage(t, id);
    expect(page.html).toContain('already paid');
    expect(page.token).toBeNull();
  });

  it('decline: the order is cancelled, the stock goes back on sale, the payment fails', async () => {
    const before = await stockOf(t, 'demo-pay', 'demo-pay-EBOOK');
    const r = await buy(t, 'demo-pay', { 'demo-pay-EBOOK': 4 });
    const id = r.body.order.id as string;
    const { token } = await demoPage(t, id);
    const declined = await demoDecide(t, id, 'decline', token ?? '');
    expect(declined.html).toContain('Payment declined');
    const order = await orderOf(t, 'demo-pay', id);
    expect(order.status).toBe('cancelled');
    expect(order.payments[0].status).toBe('failed');
    expect(await stockOf(t, 'demo-pay', 'demo-pay-EBOOK')).toEqual(before);
    // Approving a declined order is refused: it stays cancelled and nothing is flagged.
    const late = await demoDecide(t, id, 'approve', token ?? '');
    expect(late.html).toContain('cancelled, so it can no longer be paid');
    expect((await orderOf(t, 'demo-pay', id)).status).toBe('cancelled');
  });

  it('refuses a form without the right per-order token (CSRF)', async () => {
    const r = await buy(t, 'demo-pay', { 'demo-pay-EBOOK': 1 });
    const other = await buy(t, 'demo-pay', { 'demo-pay-EBOOK': 1 });
    const otherToken = (await demoPage(t, other.body.order.id)).token ?? '';
    for (const token of ['', 'forged', otherToken]) {
      const res = await demoDecide(t, r.body.order.id, 'approve', token);
      expect(res.status).toBe(403);
    }
    expect((await orderOf(t, 'demo-pay', r.body.order.id)).status).toBe('pending_payment');
  });

  it('a lapsed order cannot be paid: the page says so and the hold is released', async () => {
    const before = await stockOf(t, 'demo-pay', 'demo-pay-MUG');
    const r = await buy(t, 'demo-pay', { 'demo-pay-MUG': 1 });
    const id = r.body.order.id as string;
    const { token } = await demoPage(t, id);
    clock.advance(16 * 60 * 1000); // past the default 15-minute hold, before the sweeper ran
    expect((await demoPage(t, id)).html).toContain('payment window for this order has closed');
    const res = await demoDecide(t, id, 'approve', token ?? '');
    expect(res.html).toContain('can no longer be paid');
    const order = await orderOf(t, 'demo-pay', id);
    expect(order.status).toBe('cancelled');
    expect(order.payments[0].status).toBe('failed');
    expect(await stockOf(t, 'demo-pay', 'demo-pay-MUG')).toEqual(before);
  });

  it('refunds: partial, then the rest; never more than paid minus refunded; only paid orders', async () => {
    const r = await buy(t, 'demo-pay', { 'demo-pay-MUG': 2 }); // 25.00 EUR
    const id = r.body.order.id as string;
    const path = `/api/v1/stores/demo-pay/orders/${id}/refunds`;
    expect((await t.call('POST', path, { amount: 100 }, adminHeaders)).body.error.code).toBe('CONFLICT'); // not paid yet
    expect((await t.call('POST', path, { amount: 100 })).status).toBe(401);
    await demoDecide(t, id, 'approve', (await demoPage(t, id)).token ?? '');
    const stock = await stockOf(t, 'demo-pay', 'demo-pay-MUG');

    const part = await t.call('POST', path, { amount: 1000 }, adminHeaders);
    expect(part.status).toBe(201);
    expect(part.body.refund.amount).toEqual({ amount: 1000, currency: 'EUR' });
    expect(part.body.order.status).toBe('partially_refunded');
    expect(part.body.order.payments[0]).toMatchObject({ status: 'partially_refunded', refunded: { amount: 1000, currency: 'EUR' } });

    const over = await t.call('POST', path, { amount: 1501 }, adminHeaders);
    expect(over.status).toBe(409);
    expect(over.body.error.message).toBe(`At most 15.00 EUR can be refunded on order #${r.body.order.number} (paid 25.00 EUR, refunded 10.00 EUR)`);
    expect((await t.call('POST', path, { amount: 0 }, adminHeaders)).status).toBe(400);

    const rest = await t.call('POST', path, {}, adminHeaders);
    expect(rest.status).toBe(201);
    expect(rest.body.refund.amount.amount).toBe(1500);
    expect(rest.body.order.status).toBe('refunded');
    expect(rest.body.order.payments[0]).toMatchObject({ status: 'refunded', refunded: { amount: 2500, currency: 'EUR' } });
    const noBody = await t.app.request(path, { method: 'POST', headers: { authorization: adminHeaders.authorization } });
    expect(((await noBody.json()) as { error: { message: string } }).error.message).toMatch(/already been refunded in full/);
    // partially_refunded -> refunded moves no stock (the table restocks only on returns).
    expect(await stockOf(t, 'demo-pay', 'demo-pay-MUG')).toEqual(stock);
  });

  it('a full refund of a paid order restocks it; concurrent refunds never exceed what was paid', async () => {
    const r = await buy(t, 'demo-pay', { 'demo-pay-EBOOK': 2 }); // 18.00 EUR
    const id = r.body.order.id as string;
    await demoDecide(t, id, 'approve', (await demoPage(t, id)).token ?? '');
    const stock = await stockOf(t, 'demo-pay', 'demo-pay-EBOOK');
    const path = `/api/v1/stores/demo-pay/orders/${id}/refunds`;
    const results = await Promise.all(Array.from({ length: 5 }, () => t.call('POST', path, { amount: 1800 }, adminHeaders)));
    expect(results.filter((x) => x.status === 201)).toHaveLength(1);
    for (const x of results.filter((y) => y.status !== 201)) expect(x.status).toBe(409);
    const order = await orderOf(t, 'demo-pay', id);
    expect(order.status).toBe('refunded');
    expect(order.payments[0].refunded.amount).toBe(1800);
    expect(await stockOf(t, 'demo-pay', 'demo-pay-EBOOK')).toMatchObject({ onHand: stock.onHand + 2 });
  });

  it('seller marks shipped with a tracking number and carrier link, stored on the order (not folded into the note)', async () => {
    const r = await buy(t, 'demo-pay', { 'demo-pay-MUG': 1 });
    const id = r.body.order.id as string;
    await demoDecide(t, id, 'approve', (await demoPage(t, id)).token ?? '');
    const path = `/api/v1/stores/demo-pay/orders/${id}/transitions`;
    expect((await t.call('POST', path, { to: 'fulfilled' }, adminHeaders)).status).toBe(200);
    const shipped = await t.call('POST', path, { to: 'shipped', trackingNumber: 'JJD000390007', carrierUrl: 'https://track.example/JJD000390007', note: 'two boxes' }, adminHeaders);
    expect(shipped.status).toBe(200);
    expect(shipped.body.events.at(-1)).toMatchObject({ from: 'fulfilled', to: 'shipped', note: 'two boxes' });
    expect(shipped.body.tracking).toEqual({ number: 'JJD000390007', carrierUrl: 'https://track.example/JJD000390007' });
    expect((await orderOf(t, 'demo-pay', id)).tracking).toEqual({ number: 'JJD000390007', carrierUrl: 'https://track.example/JJD000390007' });
    expect((await t.call('POST', path, { to: 'delivered', carrierUrl: 'javascript:alert(1)' }, adminHeaders)).status).toBe(400);
    // Tracking belongs to shipping: giving it with another status is refused, and the order keeps its tracking.
    const wrong = await t.call('POST', path, { to: 'delivered', trackingNumber: 'OTHER' }, adminHeaders);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/only be given when the order is shipped/);
    expect((await t.call('POST', path, { to: 'delivered' }, adminHeaders)).body.status).toBe('delivered');
  });
});
