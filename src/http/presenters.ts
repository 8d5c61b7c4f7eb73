import type { CartView } from '../cart/cart.service.ts';
import { taxIsIncluded } from '../cart/cart-totals.ts';
import { availableOf, type ProductRecord, type StoreRecord, type VariantRecord } from '../catalog/catalog.types.ts';
import type { CustomerRecord } from '../customers/customers.types.ts';
import type { OrderRecord, PaymentRecord } from '../orders/orders.types.ts';
import { multiply } from '../shared/money.ts';

const m = (amount: number, currency: string) => ({ amount, currency });

export function presentStore(s: StoreRecord) {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    currency: s.currency,
    locale: s.locale,
    reservationTtlSeconds: s.reservationTtlSeconds,
    taxRateBps: s.taxRateBps,
    taxInclusive: s.taxInclusive,
    shippingRates: s.shippingRates,
  };
}

/** The store as its admins see it: with the staff notice targets (never shown publicly). */
export function presentStoreAdmin(s: StoreRecord) {
  return { ...presentStore(s), staffTelegramChatId: s.staffTelegramChatId, staffDiscordChannelId: s.staffDiscordChannelId };
}

export function presentVariant(v: VariantRecord) {
  return {
    id: v.id,
    sku: v.sku,
    title: v.title,
    options: v.options,
    price: m(v.price, v.currency),
    compareAtPrice: v.compareAtPrice === null ? null : m(v.compareAtPrice, v.currency),
    weightGrams: v.weightGrams,
    stock: { available: availableOf(v), onHand: v.onHand, reserved: v.reserved },
    bundle: v.bundleParts?.map((p) => ({ sku: p.sku, quantity: p.quantity })) ?? null,
  };
}

export function presentProduct(p: ProductRecord) {
  return {
    id: p.id,
    slug: p.slug,
    title: p.title,
    description: p.description,
    status: p.status,
    category: p.category,
    tags: p.tags,
    translations: p.translations,
    price: m(p.minPrice, p.currency),
    available: p.variants.reduce((n, v) => n + availableOf(v), 0),
    images: p.images.map((i) => ({ url: i.url, alt: i.alt })),
    variants: p.variants.map(presentVariant),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function presentCart({ cart, totals }: CartView) {
  const c = totals.currency;
  return {
    id: cart.id,
    status: cart.status,
    customerId: cart.customerId,
    items: cart.lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      productId: l.productId,
      productSlug: l.productSlug,
      title: l.productTitle,
      variantTitle: l.variantTitle,
      imageUrl: l.imageUrl,
      quantity: l.quantity,
      unitPrice: m(l.unitPrice, l.currency),
      lineTotal: m(multiply(l.unitPrice, l.quantity), l.currency),
      available: l.available,
    })),
    totals: {
      subtotal: m(totals.subtotal, c),
      discount: m(totals.discountTotal, c),
      shipping: m(totals.shippingTotal, c),
      tax: m(totals.taxTotal, c),
      taxIncluded: totals.taxIncluded,
      total: m(totals.total, c),
    },
    shippingAddress: cart.shippingAddress,
    promotion: totals.promotion?.automatic
      ? { code: totals.promotion.code, applies: true, freeShipping: totals.promotion.freeShipping, automatic: true }
      : cart.promotionCode
        ? { code: cart.promotionCode, applies: totals.promotion?.code === cart.promotionCode, freeShipping: totals.promotion?.freeShipping ?? false, automatic: false }
        : null,
    itemCount: cart.lines.reduce((n, l) => n + l.quantity, 0),
    updatedAt: cart.updatedAt.toISOString(),
  };
}

export function presentOrder(o: OrderRecord) {
  const c = o.currency;
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    customerId: o.customerId,
    channel: o.channel,
    email: o.email,
    subtotal: m(o.subtotal, c),
    discount: m(o.discountTotal, c),
    shipping: m(o.shippingTotal, c),
    tax: m(o.taxTotal, c),
    taxIncluded: taxIsIncluded(o),
    total: m(o.total, c),
    reservedUntil: o.reservedUntil?.toISOString() ?? null,
    shippingAddress: o.shippingAddress,
    tracking: o.trackingNumber || o.carrierUrl ? { number: o.trackingNumber, carrierUrl: o.carrierUrl } : null,
    items: o.items.map((i) => ({
      sku: i.sku,
      title: i.title,
      variantTitle: i.variantTitle,
      quantity: i.quantity,
      unitPrice: m(i.unitPrice, i.currency),
      lineTotal: m(i.lineTotal, i.currency),
    })),
    events: o.events.map((e) => ({ from: e.fromStatus, to: e.toStatus, actor: e.actor, note: e.note, at: e.createdAt.toISOString() })),
    payments: o.payments.map(presentPayment),
    deliveries: o.deliveries.map((d) => ({
      product: d.productTitle,
      kind: d.kind,
      label: d.label,
      content: d.content,
      status: d.content === null ? ('pending' as const) : ('delivered' as const),
      sentAt: d.sentAt?.toISOString() ?? null,
    })),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function presentPayment(p: PaymentRecord) {
  return { provider: p.provider, status: p.status, url: p.url, amount: m(p.amount, p.currency), refunded: m(p.refunded, p.currency) };
}

export function presentCustomer(c: CustomerRecord) {
  return {
    id: c.id,
    displayName: c.displayName,
    email: c.email,
    phone: c.phone,
    locale: c.locale,
    createdAt: c.createdAt.toISOString(),
    identities: c.identities.map((i) => ({
      channel: i.channel,
      externalUserId: i.externalUserId,
      chatId: i.chatId,
      username: i.username,
      locale: i.locale,
      unreachable: i.unreachableAt !== null,
    })),
  };
}
