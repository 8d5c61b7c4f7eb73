import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoicePrices } from '../../adapters/telegram/invoice.ts';
import { invoiceText } from '../../adapters/telegram/invoice-text.ts';
import type { OrderRecord } from '../../src/orders/orders.types.ts';
import type { TelegramPayService } from '../../src/payments/telegram-pay.service.ts';
import { buttonsOf, FakeTelegramApi, type RecordedCall } from '../fakes/telegram-bot-api.ts';
import { databases } from '../helpers/test-app.ts';
import { Chat, newUser, startHarness, textOf, type Harness } from './telegram-harness.ts';

const PROVIDER_TOKEN = '284685063:TEST:chatshop-fake-provider';

describe.each(databases)('Telegram native invoices (%s)', (kind) => {
  let h: Harness;
  let storeId: string;
  let pay: TelegramPayService;

  beforeAll(async () => {
    h = await startHarness(kind, { TELEGRAM_PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN });
    storeId = (await h.t.container.services.catalog.store('demo')).id;
    const telegram = h.t.container.services.payments.telegram;
    if (!telegram) throw new Error('telegram payments are not configured');
    pay = telegram;
  });
  afterAll(() => h.close());

  const mugStock = async () => (await h.t.container.services.catalog.product(storeId, 'classic-mug')).variants[0]?.onHand ?? -1;

  /** A shopper adds `qty` mugs and checks out; resolves with the invoice and its order. */
  async function checkout(c: Chat, qty = 1): Promise<{ invoice: RecordedCall; order: OrderRecord }> {
    const mug = await h.t.container.services.catalog.product(storeId, 'classic-mug');
    const card = await c.next('sendPhoto', c.say(`/start p_${mug.id}`));
    const add = buttonsOf(card).find((b) => b.callback_data?.startsWith('1a:'))?.callback_data ?? '';
    let cart = await c.next('sendMessage', c.press(add, card.result as Record<string, unknown>).since, (x) => buttonsOf(x).some((b) => b.callback_data === '1x'));
    for (let i = 1; i < qty; i++) {
      const since = c.press(add, card.result as Record<string, unknown>).since;
      cart = await c.next('sendMessage', since, (x) => buttonsOf(x).some((b) => b.callback_data === '1x'));
    }
    const invoice = await c.next('sendInvoice', c.press('1x', cart.result as Record<string, unknown>).since);
    const number = Number(/#(\d+)/.exec(String(invoice.body.title))?.[1]);
    return { invoice, order: await h.t.container.services.orders.get(storeId, String(number)) };
  }

  /** Pushes a pre_checkout_query and resolves with its answer. */
  async function preCheckout(c: Chat, q: { invoice_payload: string; total_amount: number; currency: string }): Promise<RecordedCall> {
    const since = h.fake.calls.length;
    const id = String(h.fake.push(FakeTelegramApi.preCheckoutUpdate(c.user, q)).pre_checkout_query.id);
    return h.fake.waitForCall('answerPreCheckoutQuery', { since, test: (x) => x.body.pre_checkout_query_id === id });
  }

  const charge = (invoice: RecordedCall, id: string) => ({
    currency: String(invoice.body.currency),
    total_amount: (invoice.body.prices as { amount: number }[]).reduce((a, p) => a + p.amount, 0),
    invoice_payload: String(invoice.body.payload),
    telegram_payment_charge_id: id,
    provider_payment_charge_id: `prov_${id}`,
  });

  /** Waits until every update pushed so far has been handled (polling is in order). */
  async function drained(c: Chat): Promise<void> {
    await c.message(c.say('/help'), /./);
  }

  it('asks for pre-checkout queries and sends the order as an invoice with its exact amounts', async () => {
    const poll = await h.fake.waitForCall('getUpdates');
    expect(poll.body.allowed_updates).toEqual(['message', 'callback_query', 'inline_query', 'pre_checkout_query']);

    const c = new Chat(h.fake, newUser());
    const { invoice, order } = await checkout(c, 2);
    expect(order.status).toBe('pending_payment');
    expect(invoice.body).toMatchObject({ chat_id: c.user.id, title: `Order #${order.number}`, currency: order.currency, provider_token: PROVIDER_TOKEN });
    expect(invoice.body.description).toMatch(new RegExp(`^Order #${order.number} is reserved for you for 15 minutes\\.`));
    const prices = invoice.body.prices as { label: string; amount: number }[];
    expect(prices.slice(0, order.items.length)).toEqual(order.items.map((i) => ({ label: expect.stringContaining(i.title), amount: i.lineTotal })));
    expect(prices.reduce((a, p) => a + p.amount, 0)).toBe(order.total);
    expect(order.items[0]?.quantity).toBe(2);
    expect(String(invoice.body.payload)).toMatch(new RegExp(`^o:${order.id}:`));
    expect(Buffer.byteLength(String(invoice.body.payload))).toBeLessThanOrEqual(128);
    // The invoice replaces the link message: no "Pay now" link was sent.
    expect(h.fake.callsTo('sendMessage', c.user.id).some((x) => buttonsOf(x).some((b) => b.url))).toBe(false);
  });

  it('answers pre_checkout ok for a payable order and refuses tampering, a wrong amount and a lapsed order', async () => {
    const c = new Chat(h.fake, newUser());
    const { invoice, order } = await checkout(c);
    const q = { invoice_payload: String(invoice.body.payload), total_amount: order.total, currency: order.currency };
    expect((await preCheckout(c, q)).body).toMatchObject({ ok: true });

    const other = await checkout(new Chat(h.fake, newUser()));
    const mac = q.invoice_payload.split(':')[2] ?? '';
    const forged = [`o:${other.order.id}:${mac}`, `${q.invoice_payload.slice(0, -1)}${q.invoice_payload.endsWith('A') ? 'B' : 'A'}`, `o:${order.id}`];
    for (const invoice_payload of forged) {
      const a = await preCheckout(c, { ...q, invoice_payload });
      expect(a.body).toMatchObject({ ok: false, error_message: expect.stringMatching(/not valid/) });
    }
    expect((await preCheckout(c, { ...q, total_amount: order.total - 1 })).body).toMatchObject({ ok: false, error_message: expect.stringMatching(/amount does not match/) });
    expect((await preCheckout(c, { ...q, currency: 'USD' })).body).toMatchObject({ ok: false });

    await h.t.container.db.order.update({ where: { id: order.id }, data: { reservedUntil: new Date(Date.now() - 1000) } });
    expect((await preCheckout(c, q)).body).toMatchObject({ ok: false, error_message: expect.stringMatching(/expired/) });
  });

  it('refuses in the shopper language, and an order that is no longer payable', async () => {
    const c = new Chat(h.fake, newUser('zh-CN'));
    const { invoice, order } = await checkout(c);
    await h.t.container.services.orders.transition(storeId, order.id, 'cancelled', 'system');
    const a = await preCheckout(c, { invoice_payload: String(invoice.body.payload), total_amount: order.total, currency: order.currency });
    expect(a.body).toMatchObject({ ok: false, error_message: '此订单已无法付款（已付款或已取消）。' });
  });

  it('successful_payment pays the order once: stock committed, one telegram payment, one confirmation', async () => {
    const c = new Chat(h.fake, newUser());
    const before = await mugStock();
    const { invoice, order } = await checkout(c);
    expect((await preCheckout(c, { invoice_payload: String(invoice.body.payload), total_amount: order.total, currency: order.currency })).body.ok).toBe(true);

    const payment = charge(invoice, `tg_charge_${order.id}`);
    const since = h.fake.calls.length;
    h.fake.push(FakeTelegramApi.paymentUpdate(c.user, payment));
    await c.message(since, new RegExp(`^Payment received, thank you! Order #${order.number} is paid\\.$`));
    // Telegram delivers it again (a new update): no second effect, no second confirmation.
    h.fake.push(FakeTelegramApi.paymentUpdate(c.user, payment));
    await drained(c);

    const paid = await h.t.container.services.orders.get(storeId, order.id);
    expect(paid.status).toBe('paid');
    expect(paid.events.filter((e) => e.toStatus === 'paid')).toEqual([expect.objectContaining({ fromStatus: 'pending_payment', actor: 'provider:telegram' })]);
    expect(paid.payments.filter((p) => p.provider === 'telegram')).toEqual([
      expect.objectContaining({ providerRef: payment.telegram_payment_charge_id, status: 'succeeded', amount: order.total, currency: order.currency }),
    ]);
    expect(await mugStock()).toBe(before - 1);
    const confirmations = h.fake.calls.slice(since).filter((x) => x.method === 'sendMessage' && x.body.chat_id === c.user.id && /^Payment received/.test(textOf(x)));
    expect(confirmations).toHaveLength(1);
  });

  it('the same charge delivered concurrently has exactly one effect', async () => {
    const c = new Chat(h.fake, newUser());
    const { invoice, order } = await checkout(c);
    const p = charge(invoice, `tg_charge_conc_${order.id}`);
    const input = { payload: p.invoice_payload, totalAmount: p.total_amount, currency: p.currency, chargeId: p.telegram_payment_charge_id, providerChargeId: p.provider_payment_charge_id };
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => pay.paid(input)));
    expect(results.filter((r) => r.status === 'processed')).toEqual([expect.objectContaining({ outcome: 'paid' })]);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(4);
    const paid = await h.t.container.services.orders.get(storeId, order.id);
    expect(paid.status).toBe('paid');
    expect(paid.events.filter((e) => e.toStatus === 'paid')).toHaveLength(1);
    expect(paid.payments.filter((x) => x.provider === 'telegram')).toHaveLength(1);
  });

  it('a payment for a cancelled order is flagged for refund, not resurrected', async () => {
    const c = new Chat(h.fake, newUser());
    const { invoice, order } = await checkout(c);
    await h.t.container.services.orders.transition(storeId, order.id, 'cancelled', 'system', { note: 'payment window lapsed' });
    const since = h.fake.calls.length;
    h.fake.push(FakeTelegramApi.paymentUpdate(c.user, charge(invoice, `tg_charge_late_${order.id}`)));
    await c.message(since, /could not be completed\. The shop will refund you\.$/);
    const after = await h.t.container.services.orders.get(storeId, order.id);
    expect(after.status).toBe('cancelled');
    expect(after.events.at(-1)?.note).toMatch(/refund needed/);
    expect(after.payments.filter((x) => x.provider === 'telegram')).toEqual([expect.objectContaining({ status: 'succeeded' })]);
  });

  it('ignores a successful_payment whose payload is forged', async () => {
    const c = new Chat(h.fake, newUser());
    const { invoice, order } = await checkout(c);
    const since = h.fake.calls.length;
    h.fake.push(FakeTelegramApi.paymentUpdate(c.user, { ...charge(invoice, `tg_charge_forged_${order.id}`), invoice_payload: `o:${order.id}:AAAAAAAAAAAAAAAAAAAAAA` }));
    await c.message(since, /could not match it to an order/);
    expect((await h.t.container.services.orders.get(storeId, order.id)).status).toBe('pending_payment');
  });
});

describe('invoice lines', () => {
  const item = { id: 'i1', variantId: 'v1', sku: 'MUG', title: 'Mug', variantTitle: 'white', unitPrice: 1250, quantity: 2, lineTotal: 2500, currency: 'EUR' };
  const order = (o: Partial<OrderRecord>): OrderRecord => ({
    id: 'o1', storeId: 's1', number: 1001, customerId: null, cartId: null, status: 'pending_payment', currency: 'EUR', subtotal: 2500, discountTotal: 0, shippingTotal: 0, taxTotal: 0, total: 2500,
    channel: 'telegram', email: null, idempotencyKey: 'k', requestHash: 'h', reservedUntil: null, shippingAddress: null, trackingNumber: null, carrierUrl: null, createdAt: new Date(), updatedAt: new Date(), items: [item], events: [], payments: [], deliveries: [], ...o,
  });
  const en = invoiceText('en');

  it('lists items, shipping and exclusive tax; inclusive tax is not charged twice; a discount folds into one total', () => {
    expect(invoicePrices(order({ shippingTotal: 490, taxTotal: 598, total: 3588 }), en)).toEqual([
      { label: 'Mug (white) × 2', amount: 2500 },
      { label: 'Shipping', amount: 490 },
      { label: 'Tax', amount: 598 },
    ]);
    expect(invoicePrices(order({ shippingTotal: 490, taxTotal: 498, total: 2990 }), en)).toEqual([
      { label: 'Mug (white) × 2', amount: 2500 },
      { label: 'Shipping', amount: 490 },
    ]);
    expect(invoicePrices(order({ discountTotal: 250, total: 2250 }), en)).toEqual([{ label: 'Total', amount: 2250 }]);
  });
});
