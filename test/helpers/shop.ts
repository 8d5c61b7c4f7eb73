import { expect } from 'vitest';
import { adminHeaders, type TestApp } from './test-app.ts';

/** A store with a shipped product (has a weight) and a digital one, through the REST API. */
export async function createShop(t: TestApp, slug: string, stock = { mug: 20, ebook: 50 }): Promise<void> {
  expect((await t.call('POST', '/api/v1/stores', { slug, name: `Shop ${slug}`, currency: 'EUR' }, adminHeaders)).status).toBe(201);
  const mug = await t.call('POST', `/api/v1/stores/${slug}/products`, { title: 'Enamel Mug', variants: [{ sku: `${slug}-MUG`, price: 1250, onHand: stock.mug, weightGrams: 300 }] }, adminHeaders);
  expect(mug.status).toBe(201);
  const ebook = await t.call('POST', `/api/v1/stores/${slug}/products`, { title: 'Brewing E-book', variants: [{ sku: `${slug}-EBOOK`, price: 900, onHand: stock.ebook, weightGrams: 0 }] }, adminHeaders);
  expect(ebook.status).toBe(201);
}

let keys = 0;

/** Opens a cart, adds the lines and checks out; returns the checkout answer. */
export async function buy(t: TestApp, slug: string, lines: Record<string, number>, key = `pay-key-${++keys}`) {
  const cart = (await t.call('POST', `/api/v1/stores/${slug}/carts`)).body.id as string;
  for (const [sku, quantity] of Object.entries(lines)) {
    const added = await t.call('POST', `/api/v1/stores/${slug}/carts/${cart}/items`, { sku, quantity });
    expect(added.status).toBe(200);
  }
  const res = await t.call('POST', `/api/v1/stores/${slug}/carts/${cart}/checkout`, undefined, { 'idempotency-key': key });
  return { ...res, cart, key };
}

export async function stockOf(t: TestApp, slug: string, sku: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const list = await t.call('GET', `/api/v1/stores/${slug}/products?limit=100`);
  for (const p of list.body.items) {
    const detail = await t.call('GET', `/api/v1/stores/${slug}/products/${p.slug}`);
    const v = detail.body.variants.find((x: { sku: string }) => x.sku === sku);
    if (v) return v.stock;
  }
  throw new Error(`no variant ${sku}`);
}

export async function orderOf(t: TestApp, slug: string, id: string) {
  const r = await t.call('GET', `/api/v1/stores/${slug}/orders/${id}`, undefined, adminHeaders);
  expect(r.status).toBe(200);
  return r.body;
}

/** The demo page (HTML) and the CSRF token its forms carry. */
export async function demoPage(t: TestApp, orderId: string): Promise<{ status: number; html: string; token: string | null }> {
  const res = await t.app.request(`/pay/demo/${orderId}`);
  const html = await res.text();
  return { status: res.status, html, token: /name="token" value="([^"]+)"/.exec(html)?.[1] ?? null };
}

/** Submits the demo page's Approve or Decline form. */
export async function demoDecide(t: TestApp, orderId: string, decision: 'approve' | 'decline', token: string): Promise<{ status: number; html: string }> {
  const res = await t.app.request(`/pay/demo/${orderId}/${decision}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  return { status: res.status, html: await res.text() };
}
