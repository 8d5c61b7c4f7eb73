import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buttonClick, modalSubmit, slash } from '../fakes/discord-interactions.ts';
import { loadConfig } from '../../src/config/env.ts';
import { buy, demoDecide, demoPage } from '../helpers/shop.ts';
import { databases, pgSkipReason } from '../helpers/test-app.ts';
import { buttons, discordHarness, ephemeral, modalInputs, text, type DiscordHarness, type ModalData } from './discord-harness.ts';

const STAFF = '300000000000000009';
const ROLE_MEMBER = '300000000000000010';
const SHOPPER = '300000000000000011';
const STAFF_ROLE = '440000000000000001';

describe.each(databases)(`Discord seller commands and order actions (%s)${pgSkipReason}`, (kind) => {
  let h: DiscordHarness;
  const orders = () => h.t.container.services.orders;
  const onHand = async (sku: string) => {
    const p = await h.t.container.services.catalog.product(h.storeId, 'classic-mug');
    return p.variants.find((v) => v.sku === sku)?.onHand;
  };
  async function paidOrder(quantity: number): Promise<number> {
    const r = await buy(h.t, 'demo', { 'MUG-CLASSIC': quantity });
    expect(r.status).toBe(201);
    await demoDecide(h.t, r.body.order.id, 'approve', (await demoPage(h.t, r.body.order.id)).token ?? '');
    return r.body.order.number as number;
  }

  beforeAll(async () => {
    h = await discordHarness(kind, { SELLER_IDS: `discord:${STAFF}`, DISCORD_STAFF_ROLE_ID: STAFF_ROLE });
  }, 60_000);
  afterAll(() => h?.close());

  it('/stock sets the stock on hand, for staff by id or by role', async () => {
    const r = await h.send(slash(STAFF, 'stock', [{ type: 3, name: 'sku', value: 'MUG-CLASSIC' }, { type: 4, name: 'quantity', value: 42 }]));
    expect(r.body.type).toBe(4);
    expect(ephemeral(r.body.data)).toBe(true);
    expect(r.body.data?.content).toBe('Stock of MUG-CLASSIC set to 42 (42 available, 0 held by unpaid orders).');
    expect(await onHand('MUG-CLASSIC')).toBe(42);

    const byRole = await h.send(slash(ROLE_MEMBER, 'stock', [{ type: 3, name: 'sku', value: 'MUG-CLASSIC' }, { type: 4, name: 'quantity', value: 40 }], { roles: ['1', STAFF_ROLE] }));
    expect(byRole.body.data?.content).toMatch(/^Stock of MUG-CLASSIC set to 40/);
    expect(await onHand('MUG-CLASSIC')).toBe(40);

    const unknown = await h.send(slash(STAFF, 'stock', [{ type: 3, name: 'sku', value: 'NO-SUCH' }, { type: 4, name: 'quantity', value: 1 }]));
    expect(unknown.body.data?.content).toBe('There is no variant with SKU NO-SUCH.');
  });

  it('refuses seller commands to anyone else, logs it, and changes nothing', async () => {
    const warn = vi.spyOn(h.t.container.log, 'warn');
    const stock = await h.send(slash(SHOPPER, 'stock', [{ type: 3, name: 'sku', value: 'MUG-CLASSIC' }, { type: 4, name: 'quantity', value: 0 }], { roles: ['440000000000000002'] }));
    expect(ephemeral(stock.body.data)).toBe(true);
    expect(stock.body.data?.content).toMatch(/shop staff only/);
    expect(await onHand('MUG-CLASSIC')).toBe(40);
    const stats = await h.send(slash(SHOPPER, 'stats'));
    expect(stats.body.data?.content).toMatch(/shop staff only/);
    // In a DM there are no roles: the role member is not staff there.
    const dm = await h.send(slash(ROLE_MEMBER, 'stats', undefined, { dm: true }));
    expect(dm.body.data?.content).toMatch(/shop staff only/);
    expect(warn).toHaveBeenCalledWith({ discordUser: SHOPPER, attempted: '/stock' }, 'seller command refused: not staff');
    warn.mockRestore();
  });

  it('/stats shows the sales report as an embed', async () => {
    const number = await paidOrder(2);
    const order = await orders().get(h.storeId, String(number));
    const r = await h.send(slash(STAFF, 'stats', [{ type: 4, name: 'days', value: 30 }]));
    expect(ephemeral(r.body.data)).toBe(true);
    const embed = r.body.data?.embeds?.[0];
    expect(embed?.title).toMatch(/^chatshop demo store — Sales, last 30 days \(/);
    expect(embed?.description).toContain('Orders paid: 1');
    expect(embed?.description).toContain(`Revenue: €${(order.total / 100).toFixed(2)}`);
    expect(embed?.description).toContain('1. Classic Mug — 2 sold');
    expect(embed?.description).toContain('Refunds: none');
  });

  it('order view: Refund opens a form; a bad amount keeps what was typed; a good one refunds', async () => {
    const number = await paidOrder(2);
    const view = await h.send(slash(STAFF, 'staff', [{ type: 1, name: 'order', options: [{ type: 4, name: 'number', value: number }] }]));
    const labels = buttons(view.body.data).map((b) => b.label);
    expect(labels).toEqual([`#${number} → fulfilled`, `Refund #${number}`, `Cancel #${number}`]);

    const open = await h.send(buttonClick(STAFF, `d:st:${number}:r`, { ephemeral: true }));
    expect(open.body.type).toBe(9);
    const form = open.body.data as unknown as ModalData;
    expect(form.custom_id).toBe(`d:rm:${number}`);
    expect(modalInputs(form)).toEqual({ amount: '' });

    const bad = await h.send(modalSubmit(STAFF, `d:rm:${number}`, { amount: 'ten euros' }));
    expect(ephemeral(bad.body.data)).toBe(true);
    expect(text(bad.body.data)).toContain('Amount: "ten euros" is not an amount in EUR');
    expect(text(bad.body.data)).toContain('Amount: ten euros');
    const retry = buttons(bad.body.data)[0];
    expect(retry?.custom_id).toBe(`d:st:${number}:r`);
    const reopened = await h.send(buttonClick(STAFF, retry?.custom_id ?? '', { ephemeral: true, message: bad.body.data }));
    expect(modalInputs(reopened.body.data as unknown as ModalData)).toEqual({ amount: 'ten euros' });
    expect((await orders().get(h.storeId, String(number))).payments[0]?.refunded).toBe(0);

    const part = await h.send(modalSubmit(STAFF, `d:rm:${number}`, { amount: '5.00' }));
    expect(part.body.data?.content).toBe(`Refunded €5.00 on order #${number}.`);
    const after = await orders().get(h.storeId, String(number));
    expect(after.status).toBe('partially_refunded');
    expect(after.payments[0]?.refunded).toBe(500);
    expect(after.events.at(-1)?.actor).toBe(`staff:discord:${STAFF}`);

    const rest = await h.send(modalSubmit(STAFF, `d:rm:${number}`, { amount: '' }));
    expect(rest.body.data?.content).toBe(`Refunded €${((after.total - 500) / 100).toFixed(2)} on order #${number}.`);
    expect((await orders().get(h.storeId, String(number))).status).toBe('refunded');
    expect(buttons(rest.body.data).map((b) => b.label)).not.toContain(`Refund #${number}`);
  });

  it('Cancel asks first, then cancels and restocks', async () => {
    const before = await onHand('MUG-CLASSIC');
    const number = await paidOrder(3);
    expect(await onHand('MUG-CLASSIC')).toBe((before ?? 0) - 3);
    const ask = await h.send(buttonClick(STAFF, `d:st:${number}:c`, { ephemeral: true }));
    expect(ask.body.type).toBe(7);
    expect(ask.body.data?.content).toMatch(new RegExp(`^Cancel order #${number} \\(paid, €\\d+\\.\\d\\d\\)\\? Its payment is refunded in full first`));
    expect((await orders().get(h.storeId, String(number))).status).toBe('paid');
    const yes = buttons(ask.body.data).find((b) => b.custom_id === `d:st:${number}:cy`);
    const done = await h.send(buttonClick(STAFF, yes?.custom_id ?? '', { ephemeral: true }));
    expect(done.body.data?.content).toBe(`Order #${number} cancelled.`);
    const cancelled = await orders().get(h.storeId, String(number));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.payments[0]?.refunded).toBe(cancelled.total);
    expect(await onHand('MUG-CLASSIC')).toBe(before);
  });

  it('Mark shipped asks for tracking in a form; a bad link is refused with the entry kept', async () => {
    const number = await paidOrder(1);
    await orders().transition(h.storeId, String(number), 'fulfilled', 'test');
    const open = await h.send(buttonClick(STAFF, `d:st:${number}:s`, { ephemeral: true }));
    expect(open.body.type).toBe(9);
    const form = open.body.data as unknown as ModalData;
    expect(form).toMatchObject({ custom_id: `d:sm:${number}`, title: `Mark order #${number} shipped` });
    expect(form.components.map((c) => [c.type, c.label, c.component.type])).toEqual([[18, 'Tracking number', 4], [18, 'Carrier tracking URL', 4]]);

    const bad = await h.send(modalSubmit(STAFF, `d:sm:${number}`, { tracking: 'TRK-123', carrier: 'carrier.example/track' }));
    expect(text(bad.body.data)).toContain('Carrier tracking URL: must be a web address');
    expect(text(bad.body.data)).toContain('Tracking number: TRK-123');
    expect((await orders().get(h.storeId, String(number))).status).toBe('fulfilled');
    const again = await h.send(buttonClick(STAFF, `d:st:${number}:s`, { ephemeral: true, message: bad.body.data }));
    expect(modalInputs(again.body.data as unknown as ModalData)).toEqual({ tracking: 'TRK-123', carrier: 'carrier.example/track' });

    const ok = await h.send(modalSubmit(STAFF, `d:sm:${number}`, { tracking: 'TRK-123', carrier: 'https://carrier.example/track/TRK-123' }));
    expect(ok.body.data?.content).toBe(`Order #${number} marked shipped (tracking TRK-123); the buyer is told.`);
    const shipped = await orders().get(h.storeId, String(number));
    expect(shipped).toMatchObject({ status: 'shipped', trackingNumber: 'TRK-123', carrierUrl: 'https://carrier.example/track/TRK-123' });
  });

  it('refuses order buttons and forms to others, and answers forged ids without effect', async () => {
    const number = await paidOrder(1);
    for (const click of [buttonClick(SHOPPER, `d:st:${number}:r`), buttonClick(SHOPPER, `d:st:${number}:s`), buttonClick(SHOPPER, `d:st:${number}:cy`)]) {
      const r = await h.send(click);
      expect(r.body.type).toBe(4);
      expect(r.body.data?.content).toMatch(/shop staff only/);
    }
    const forgedForm = await h.send(modalSubmit(SHOPPER, `d:rm:${number}`, { amount: '' }));
    expect(forgedForm.body.data?.content).toMatch(/shop staff only/);
    const o = await orders().get(h.storeId, String(number));
    expect(o.status).toBe('paid');
    expect(o.payments[0]?.refunded).toBe(0);

    for (const id of [`d:st:${number}:zz`, 'd:st:abc:r', `d:st:${number}:r:extra`]) {
      const r = await h.send(buttonClick(STAFF, id));
      expect(r.body.type).toBe(4);
      expect(r.body.data?.content).toMatch(/That button has expired/);
    }
    const missing = await h.send(modalSubmit(STAFF, 'd:rm:999999', { amount: '1' }));
    expect(missing.body.data?.content).toBe('There is no order #999999.');
  });
});

describe('DISCORD_STAFF_ROLE_ID', () => {
  it('is a numeric role id, refused at start-up otherwise with the key named', () => {
    expect(loadConfig({ DISCORD_STAFF_ROLE_ID: STAFF_ROLE }).DISCORD_STAFF_ROLE_ID).toBe(STAFF_ROLE);
    expect(loadConfig({ DISCORD_STAFF_ROLE_ID: ' ' }).DISCORD_STAFF_ROLE_ID).toBeUndefined();
    expect(() => loadConfig({ DISCORD_STAFF_ROLE_ID: '@Staff' })).toThrow(/DISCORD_STAFF_ROLE_ID: must be a numeric role id/);
  });
});
