import type { CartRepository } from '../cart/cart.ports.ts';
import type { StoreRecord } from '../catalog/catalog.types.ts';
import type { CheckoutRepository, OrderDraft, PaymentProvider } from '../checkout/checkout.ports.ts';
import type { OrderRecord, PaymentRecord } from '../orders/orders.types.ts';
import { sha256Hex } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import type { Clock } from '../shared/time.ts';
import type { GroupDealNotifier, GroupDealRepository } from './group-deal.ports.ts';
import type { GroupDealMemberRecord, GroupDealRecord, MemberNotice } from './group-deal.types.ts';

/** A closer that stopped mid-way (crash) leaves the deal "closing"; after this long another takes over. */
export const CLOSE_LEASE_MS = 5 * 60_000;

export interface CloserDeps {
  deals: GroupDealRepository;
  checkout: CheckoutRepository;
  carts: Pick<CartRepository, 'openFor'>;
  payments: PaymentProvider;
  store: (storeId: string) => Promise<StoreRecord>;
  clock: Clock;
  log: Logger;
}

type TellMember = GroupDealNotifier['memberClosed'];
type TellDeal = GroupDealNotifier['dealChanged'];

/**
 * Closes each deal once: the deal is claimed in one conditional UPDATE (two
 * ticks, or two instances, never both win), every joiner's order is placed
 * under an idempotency key of the deal and customer (a take-over after a crash
 * finds it instead of placing another), and each notice is claimed before it
 * is sent (never twice).
 */
export class GroupDealCloser {
  constructor(private readonly d: CloserDeps) {}

  async closeDue(tellMember: TellMember, tellDeal: TellDeal): Promise<number> {
    const now = this.d.clock.now();
    const due = await this.d.deals.claimDue(now, new Date(now.getTime() - CLOSE_LEASE_MS), 20);
    for (const deal of due) await this.close(deal, tellMember, tellDeal);
    return due.length;
  }

  private async close(deal: GroupDealRecord, tellMember: TellMember, tellDeal: TellDeal): Promise<void> {
    const members = await this.d.deals.joinedMembers(deal.id);
    const reached = members.length >= deal.minPeople;
    for (const m of members) {
      const notice: MemberNotice = reached ? await this.orderFor(deal, m) : { kind: 'not_reached' };
      if (!m.outcome) await this.d.deals.setOutcome(m.id, notice.kind, notice.kind === 'ordered' ? notice.order.id : null);
      if (await this.d.deals.claimNotice(m.id, this.d.clock.now())) await tellMember(deal, m, notice);
    }
    const status = reached ? 'succeeded' : 'failed';
    await this.d.deals.finish(deal.id, status, this.d.clock.now());
    this.d.log.info({ deal: deal.id, joined: members.length, minPeople: deal.minPeople, status }, 'group deal closed');
    await tellDeal({ ...deal, status, joined: members.length });
  }

  /** One order at the group price through the checkout repository: stock held, numbered, then the payment step. */
  private async orderFor(deal: GroupDealRecord, m: GroupDealMemberRecord): Promise<MemberNotice> {
    const key = `group-deal:${deal.id}:${m.customerId}`;
    if (m.outcome === 'sold_out') return { kind: 'sold_out' };
    const existing = await this.d.checkout.findByIdempotencyKey(deal.storeId, key);
    if (existing) return { kind: 'ordered', order: existing, payment: existing.payments[0] ?? (await this.startPayment(existing)) };
    const store = await this.d.store(deal.storeId);
    const cart = await this.d.carts.openFor(deal.storeId, { customerId: null, currency: deal.currency, channel: m.channel });
    const draft: OrderDraft = {
      storeId: deal.storeId,
      cartId: cart.id,
      customerId: m.customerId,
      channel: m.channel,
      email: null,
      idempotencyKey: key,
      requestHash: sha256Hex(key),
      currency: deal.currency,
      subtotal: deal.groupPrice,
      discountTotal: 0,
      shippingTotal: 0,
      taxTotal: 0,
      total: deal.groupPrice,
      reservedUntil: new Date(this.d.clock.now().getTime() + store.reservationTtlSeconds * 1000),
      shippingAddress: null,
      promotionCode: null,
      items: [{ variantId: deal.variantId, sku: deal.sku, title: deal.title, variantTitle: '', unitPrice: deal.groupPrice, quantity: 1, lineTotal: deal.groupPrice }],
      holds: [{ variantId: deal.variantId, sku: deal.sku, quantity: 1 }],
    };
    const placed = await this.d.checkout.placeOrder(draft);
    if (placed.ok || placed.code === 'DUPLICATE') {
      const order = placed.order;
      this.d.log.info({ deal: deal.id, order: order.number, total: order.total }, 'group deal order placed');
      return { kind: 'ordered', order, payment: order.payments[0] ?? (await this.startPayment(order)) };
    }
    this.d.log.warn({ deal: deal.id, customer: m.customerId, code: placed.code }, 'group deal order not placed');
    return { kind: 'sold_out' };
  }

  /** As at checkout: a provider that is down leaves the order pending without a payment row. */
  private async startPayment(order: OrderRecord): Promise<PaymentRecord | null> {
    if (order.status !== 'pending_payment') return null;
    const session = await this.d.payments.createSession(order);
    if (!session.ok) {
      this.d.log.warn({ order: order.number, provider: this.d.payments.name }, 'group deal payment session could not be created');
      return null;
    }
    return this.d.checkout.recordPayment(order.id, {
      provider: session.value.provider,
      providerRef: session.value.providerRef,
      amount: order.total,
      currency: order.currency,
      url: session.value.url,
    });
  }
}
