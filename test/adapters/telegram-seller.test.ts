import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, type RecordedCall } from '../fakes/telegram-bot-api.ts';
import { databases } from '../helpers/test-app.ts';
import { demoDecide, demoPage } from '../helpers/shop.ts';
import { Chat, labels, newUser, STAFF_ID, startHarness, textOf, type Harness } from './telegram-harness.ts';

describe.each(databases)('Telegram seller commands (%s)', (kind) => {
  let h: Harness;
  let storeId: string;
  const staff = () => new Chat(h.fake, { id: STAFF_ID, is_bot: false, first_name: 'Sam' });

  beforeAll(async () => {
    h = await startHarness(kind);
    storeId = (await h.t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => h.close());

  /** A buyer orders a mug through the bot and pays on the demo page; returns the chat and order number. */
  async function paidOrder(): Promise<{ buyer: Chat; number: number }> {
    const buyer = new Chat(h.fake, newUser());
    const mug = await h.t.container.services.catalog.product(storeId, 'classic-mug');
    const card = await buyer.next('sendPhoto', buyer.say(`/start p_${mug.id}`));
    const add = buyer.press(buttonsOf(card).find((b) => b.callback_data?.startsWith('1a:'))?.callback_data ?? '', card.result as Record<string, unknown>);
    const cart = await buyer.next('sendMessage', add.since, (x) => buttonsOf(x).some((b) => b.callback_data === '1x'));
    const placed = await buyer.next('sendMessage', buyer.press('1x', cart.result as Record<string, unknown>).since, (x) => /#\d+/.test(textOf(x)));
    const number = Number(/#(\d+)/.exec(textOf(placed))?.[1]);
    const order = await h.t.container.services.orders.get(storeId, String(number));
    const page = await demoPage(h.t, order.id);
    expect((await demoDecide(h.t, order.id, 'approve', page.token ?? '')).status).toBe(200);
    await buyer.message(0, new RegExp(`order #${number}: it is now paid`));
    return { buyer, number };
  }

  const orderCard = async (number: number): Promise<RecordedCall> => {
    const s = staff();
    return s.message(s.say(`/order ${number}`), new RegExp(`^<b>Order #${number}</b>`));
  };

  it('refunds an order from its buttons after a confirmation; the buyer is told', async () => {
    const { buyer, number } = await paidOrder();
    const card = await orderCard(number);
    expect(labels(card)).toEqual(['Mark fulfilled', 'Refund', 'Cancel']);
    const s = staff();
    const ask = await s.next('editMessageText', s.tap(card, 'Refund').since);
    expect(textOf(ask)).toMatch(/Refund €\d+\.\d\d on order #\d+\?/);
    expect((await h.t.container.services.orders.get(storeId, String(number))).status).toBe('paid');
    const yes = s.tap(ask, /^Yes, refund/);
    const done = await s.next('editMessageText', yes.since, (c) => textOf(c).includes('— refunded'));
    expect(labels(done)).not.toContain('Refund');
    expect((await yes.answered()).body.text).toMatch(/^Refunded €\d+\.\d\d on order #\d+\.$/);
    const order = await h.t.container.services.orders.get(storeId, String(number));
    expect(order.status).toBe('refunded');
    expect(order.payments[0]?.refunded).toBe(order.payments[0]?.amount);
    await buyer.message(yes.since, new RegExp(`order #${number}: it is now refunded`));
  });

  it('cancels a paid order (refunded, restocked); Back leaves it alone', async () => {
    const { buyer, number } = await paidOrder();
    const stock = async () => (await h.t.container.services.catalog.product(storeId, 'classic-mug')).variants[0]?.onHand ?? -1;
    const before = await stock();
    const s = staff();
    const card = await orderCard(number);
    const ask = await s.next('editMessageText', s.tap(card, 'Cancel').since);
    const back = await s.next('editMessageText', s.tap(ask, 'Back').since);
    expect(labels(back)).toEqual(['Mark fulfilled', 'Refund', 'Cancel']);
    const ask2 = await s.next('editMessageText', s.tap(back, 'Cancel').since);
    const yes = s.tap(ask2, 'Yes, cancel the order');
    await s.next('editMessageText', yes.since, (c) => textOf(c).includes('— cancelled'));
    const order = await h.t.container.services.orders.get(storeId, String(number));
    expect(order.status).toBe('cancelled');
    expect(await stock()).toBe(before + 1);
    await buyer.message(yes.since, new RegExp(`order #${number}: it is now cancelled`));
  });

  it('ships with a tracking number and carrier link; the buyer is told', async () => {
    const { buyer, number } = await paidOrder();
    const s = staff();
    const since = s.say(`/ship ${number} 1Z999AA1 https://carrier.example/track/1Z999AA1`);
    const reply = await s.message(since, /The buyer has been told/);
    expect(textOf(reply)).toMatch(/— shipped/);
    expect(textOf(reply)).toContain('tracking 1Z999AA1');
    const order = await h.t.container.services.orders.get(storeId, String(number));
    expect(order).toMatchObject({ status: 'shipped', trackingNumber: '1Z999AA1', carrierUrl: 'https://carrier.example/track/1Z999AA1' });
    const told = await buyer.message(since, new RegExp(`order #${number}: it is now shipped`));
    // The buyer sees the tracking number and can open the carrier's page.
    expect(textOf(told)).toContain('1Z999AA1');
    expect(buttonsOf(told).map((b) => b.url)).toContain('https://carrier.example/track/1Z999AA1');
    await s.message(s.say(`/ship ${number} a b`), /^Usage: \/ship/);
    await s.message(s.say(`/ship ${number}`), /^Not shipped: Order #\d+ is shipped/);
  });

  it('/stats reports the sales of the last days', async () => {
    const s = staff();
    const asked = s.say('/stats 30');
    const report = await s.message(asked, /^Sales, last 30 days/);
    // Then the chart, uploaded as a PNG.
    const photo = await h.fake.waitForCall('sendPhoto', { since: asked, chatId: STAFF_ID });
    const ref = /^attach:\/\/(.+)$/.exec(String(photo.body.photo))?.[1] ?? '';
    const file = photo.body[ref] as { filename: string; size: number; bytes: Buffer } | undefined;
    expect(file?.filename).toBe('stats.png');
    expect(file?.bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    const paid = Number(/Orders paid: (\d+)/.exec(textOf(report))?.[1]);
    expect(paid).toBeGreaterThanOrEqual(3);
    expect(textOf(report)).toMatch(/Classic Mug — \d+ sold/);
    expect(textOf(report)).toMatch(/Refunds: \d+ orders?, €/);
    await s.message(s.say('/stats'), /^Sales, last 7 days/);
    await s.message(s.say('/stats lots'), /^Usage: \/stats/);
    await s.message(s.say('/stats 999'), /days must be a whole number from 1 to 365/);
  });

  it('refuses every seller command and button to shoppers, changing nothing', async () => {
    const { buyer, number } = await paidOrder();
    for (const cmd of [`/ship ${number} X1`, '/stats', '/link spring', `/order ${number}`]) await buyer.message(buyer.say(cmd), /for the shop staff only/);
    for (const code of ['R', 'C', 'r']) {
      const tap = buyer.press(`S1:${number}:${code}`, { message_id: 1, date: 0, chat: buyer.chat });
      expect((await tap.answered()).body.text).toBe('Staff only.');
    }
    const order = await h.t.container.services.orders.get(storeId, String(number));
    expect(order.status).toBe('paid');
    expect(order.payments[0]?.refunded).toBe(0);
    expect(h.fake.callsTo('editMessageText', buyer.user.id)).toHaveLength(0);
  });
});
