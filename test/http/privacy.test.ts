import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { adminHeaders, createTestApp, databases, pgSkipReason, type TestApp } from '../helpers/test-app.ts';

type Reply = { type: string; buttons?: { label: string; action?: string; url?: string }[]; orderNumber?: number };

describe.each(databases)(`consent ledger and personal data (%s)${pgSkipReason}`, (kind) => {
  let t: TestApp;
  let storeId = '';
  const session = `privacy-${kind}-0001`;
  const chat = async (body: { text?: string; action?: string }) => {
    const r = await t.call('POST', '/api/v1/stores/demo/chat', { session, ...body });
    expect(r.status).toBe(200);
    return r.body.replies as Reply[];
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => t.close());

  it('records opt-in and opt-out with their source, once each', async () => {
    const c = await t.container.services.customers.identify(storeId, { channel: 'telegram', externalUserId: '4242', username: 'ada' });
    const put = (status: string, source?: string) =>
      t.call('PUT', `/api/v1/stores/demo/customers/${c.id}/consent/telegram`, { status, ...(source && { source }) }, adminHeaders);
    expect((await put('subscribed', 'signup_form')).body).toEqual({ status: 'subscribed', changed: true });
    expect((await put('subscribed')).body).toEqual({ status: 'subscribed', changed: false });
    expect((await put('unsubscribed', 'stop_command')).body).toEqual({ status: 'unsubscribed', changed: true });
    expect((await put('maybe')).status).toBe(400);
    expect((await t.call('PUT', `/api/v1/stores/demo/customers/${c.id}/consent/fax`, { status: 'subscribed' }, adminHeaders)).status).toBe(400);
    expect(await t.container.services.consent.status(c.id, 'telegram')).toBe('unsubscribed');
    expect(await t.container.services.consent.status(c.id, 'discord')).toBe('unknown');
    const data = await t.call('GET', `/api/v1/stores/demo/customers/${c.id}/personal-data`, undefined, adminHeaders);
    expect(data.status).toBe(200);
    expect(data.body.consent).toEqual([{ channel: 'telegram', status: 'unsubscribed', source: 'stop_command', changedAt: expect.any(String) }]);
    expect(data.body.history.map((h: { status: string; source: string }) => `${h.status}:${h.source}`)).toEqual(['subscribed:signup_form', 'unsubscribed:stop_command']);
    expect(data.body.identities).toEqual([{ channel: 'telegram', username: 'ada', locale: null, since: expect.any(String) }]);
  });

  it('erases a shopper but keeps their order, anonymised, for the books', async () => {
    await chat({ text: 'hi' });
    await chat({ text: 'cheapest mug' });
    await chat({ text: 'add the first one' });
    const checkout = (await chat({ text: 'checkout' })).find((r) => r.type === 'checkout');
    expect(checkout?.orderNumber).toBeGreaterThan(0);
    const customer = await t.container.services.customers.identify(storeId, { channel: 'web', externalUserId: session });
    await t.container.services.analytics.flush();
    const before = await t.call('GET', `/api/v1/stores/demo/customers/${customer.id}/personal-data`, undefined, adminHeaders);
    expect(before.body).toMatchObject({ orders: 1, conversations: 1 });
    expect(before.body.events).toBeGreaterThan(0);

    const erased = await t.call('DELETE', `/api/v1/stores/demo/customers/${customer.id}/personal-data`, undefined, adminHeaders);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ ordersAnonymised: 1, conversationsDeleted: 1 });
    expect((await t.call('GET', `/api/v1/stores/demo/customers/${customer.id}`, undefined, adminHeaders)).status).toBe(404);
    const order = await t.call('GET', `/api/v1/stores/demo/orders/${String(checkout?.orderNumber)}`, undefined, adminHeaders);
    expect(order.status).toBe(200);
    expect(order.body.customerId).toBeNull();
    expect(order.body.items).toHaveLength(1);
    // Erasing twice finds nobody; the same chat starts afresh as a new shopper.
    expect((await t.call('DELETE', `/api/v1/stores/demo/customers/${customer.id}/personal-data`, undefined, adminHeaders)).status).toBe(404);
    expect((await chat({ text: 'show my cart' })).length).toBeGreaterThan(0);
  });

  it('lists and erases stock alerts, marketing messages and group-deal places too', async () => {
    const c = await t.container.services.customers.identify(storeId, { channel: 'telegram', externalUserId: '7373', username: 'grace' });
    const db = t.container.db;
    const variant = await db.variant.findFirstOrThrow({ where: { storeId } });
    await db.stockAlertRequest.create({ data: { storeId, customerId: c.id, variantId: variant.id, productId: variant.productId, channel: 'telegram' } });
    await db.automationMessage.create({ data: { storeId, kind: 'back_in_stock', triggerKey: `alert:${c.id}`, customerId: c.id, channel: 'telegram', address: '7373', subjectId: variant.productId, nextAttemptAt: new Date() } });
    const deal = await db.groupDeal.create({
      data: { storeId, productId: variant.productId, variantId: variant.id, sku: variant.sku, title: 'Deal', groupPrice: 100, regularPrice: 200, currency: 'EUR', minPeople: 3, endsAt: new Date(Date.now() + 3_600_000), createdBy: 'staff', channel: 'telegram', chatId: '-100' },
    });
    await db.groupDealMember.create({ data: { dealId: deal.id, customerId: c.id, channel: 'telegram', externalUserId: '7373' } });

    const data = await t.call('GET', `/api/v1/stores/demo/customers/${c.id}/personal-data`, undefined, adminHeaders);
    expect(data.body).toMatchObject({ stockAlerts: 1, messages: 1, groupDeals: 1 });
    const shown = await t.container.services.conversation.handle({ store: 'demo', channel: 'telegram', identity: { externalUserId: '7373' }, command: { name: 'privacy', args: '' } });
    expect(shown.map((r) => ('text' in r ? r.text : '')).join('\n')).toContain('"Notify me" alerts: 1, offers and reminders sent or planned: 1, group deals joined: 1');

    expect((await t.call('DELETE', `/api/v1/stores/demo/customers/${c.id}/personal-data`, undefined, adminHeaders)).status).toBe(200);
    expect(await db.stockAlertRequest.count({ where: { customerId: c.id } })).toBe(0);
    expect(await db.automationMessage.count({ where: { customerId: c.id } })).toBe(0);
    expect(await db.groupDealMember.count({ where: { customerId: c.id } })).toBe(0);
    // The deal itself stays for the others in it.
    expect(await db.groupDeal.count({ where: { id: deal.id } })).toBe(1);
  });

  it('is for admins only', async () => {
    expect((await t.call('GET', '/api/v1/stores/demo/customers/nobody/personal-data')).status).toBe(401);
    expect((await t.call('DELETE', '/api/v1/stores/demo/customers/nobody/personal-data')).status).toBe(401);
  });
});
