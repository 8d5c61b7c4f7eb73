import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/catalog/demo-store.ts';
import { PrismaCartRepository } from '../../src/infra/prisma/cart.repository.ts';
import { parseStoredAddress } from '../../src/cart/shipping-address.ts';
import { createTestApp, databases, type TestApp } from '../helpers/test-app.ts';

describe.each(databases)('a cart read by its open key or its id, as Prisma would read it (%s)', (kind) => {
  let t: TestApp;
  let storeId: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await seedDemoStore(t.container.services.catalog);
    storeId = (await t.container.services.catalog.store('demo')).id;
  });
  afterAll(() => t.close());

  it('gives every field of the row: customer, channel, address, promo code, dates', async () => {
    const repo = new PrismaCartRepository(t.container.db);
    const ann = await t.container.services.customers.identify(storeId, { channel: 'telegram', externalUserId: 'cart-row-ann' });
    const opened = await repo.openFor(storeId, { customerId: ann.id, currency: 'EUR', channel: 'telegram' });
    const address = { name: 'Ann Lee', line1: 'Main St 1', line2: 'Flat 2', city: 'Berlin', postalCode: '10115', country: 'DE', phone: '+49 30 1234' };
    expect(await repo.setShippingAddress(storeId, opened.id, address)).toBe(true);
    expect(await repo.setPromotionCode(storeId, opened.id, 'SPRING10')).toBe(true);

    const row = await t.container.db.cart.findUniqueOrThrow({ where: { id: opened.id } });
    const expected = {
      id: row.id,
      storeId,
      customerId: ann.id,
      status: 'open',
      currency: 'EUR',
      channel: 'telegram',
      shippingAddress: parseStoredAddress(row.shippingAddress),
      promotionCode: 'SPRING10',
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      lines: [],
    };
    expect(expected.shippingAddress).toEqual(address);
    expect(await repo.findOpenFor(storeId, ann.id)).toEqual(expected);
    expect(await repo.get(storeId, opened.id)).toEqual(expected);
  });

  it('finds nothing for another store, another customer or a cart no longer open', async () => {
    const repo = new PrismaCartRepository(t.container.db);
    const bob = await t.container.services.customers.identify(storeId, { channel: 'telegram', externalUserId: 'cart-row-bob' });
    const nobody = await t.container.services.customers.identify(storeId, { channel: 'telegram', externalUserId: 'cart-row-nobody' });
    const cart = await repo.openFor(storeId, { customerId: bob.id, currency: 'EUR', channel: null });
    expect(await repo.get('another-store', cart.id)).toBeNull();
    expect(await repo.findOpenFor(storeId, nobody.id)).toBeNull();
    expect((await repo.get(storeId, cart.id))?.channel).toBeNull();
    // Checked out: the open key is cleared, the cart is still there by id.
    await t.container.db.cart.update({ where: { id: cart.id }, data: { status: 'converted', openKey: null } });
    expect(await repo.findOpenFor(storeId, bob.id)).toBeNull();
    expect((await repo.get(storeId, cart.id))?.status).toBe('converted');
  });
});
