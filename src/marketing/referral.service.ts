import type { StoreRecord } from '../catalog/catalog.types.ts';
import type { OrderNotifier } from '../orders/orders.ports.ts';
import type { OrderStatus } from '../orders/order-state.ts';
import type { OrderRecord } from '../orders/orders.types.ts';
import { createHash } from 'node:crypto';
import type { PromotionService } from '../promotions/promotions.service.ts';
import { describePromotion } from '../promotions/promotions.service.ts';
import type { Logger } from '../shared/logger.ts';
import type { Clock } from '../shared/time.ts';
import type { ReferralRepository, ReferrerNotifier } from './referral.ports.ts';

const DAY_MS = 86_400_000;
/** A referral only counts for a shopper who was new when they followed the link. */
const NEW_CUSTOMER_SLACK_MS = 10 * 60_000;
const REWARD_VALID_DAYS = 90;

export interface ReferralOptions {
  /** What the referrer gets, in /promo words ("10%", "5 off", "freeship"); null: referrals earn nothing. */
  reward: string | null;
}

/** The contact details of an order, normalised, for the duplicate-account check. */
export function orderContacts(o: Pick<OrderRecord, 'email' | 'shippingAddress'>): string[] {
  const out: string[] = [];
  if (o.email) out.push(`e:${o.email.trim().toLowerCase()}`);
  const a = o.shippingAddress;
  if (a?.phone) out.push(`p:${a.phone.replace(/\D/g, '')}`);
  if (a) out.push(`a:${a.line1.trim().toLowerCase()}|${a.postalCode.replace(/\s/g, '').toLowerCase()}|${a.country}`);
  return out;
}

/**
 * Referral rewards: when a referred shopper's first order is paid, the
 * referrer gets a one-time promo code, once per referred shopper. No reward
 * for following one's own link, for a shopper who already existed before the
 * link, or when the order's e-mail, phone or address are the referrer's own
 * (a second account of the same person).
 */
export class ReferralRewards implements OrderNotifier {
  constructor(
    private readonly repo: ReferralRepository,
    private readonly promotions: PromotionService,
    private readonly store: (storeId: string) => Promise<StoreRecord>,
    private readonly notifier: ReferrerNotifier,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: ReferralOptions,
  ) {}

  async orderChanged(order: OrderRecord, change: { from: OrderStatus | null; to: OrderStatus }): Promise<void> {
    if (change.to !== 'paid' || !order.customerId || !this.opts.reward) return;
    const referral = await this.repo.referralOf(order.storeId, order.customerId);
    if (!referral) return;
    const why = await this.refusal(order, order.customerId, referral);
    if (why) return void this.log.info({ order: order.number, referrer: referral.referrer, why }, 'referral earns no reward');
    const store = await this.store(order.storeId);
    // One code per referred shopper, named after them: a second paid event finds it taken.
    const code = `REF${createHash('sha256').update(`${order.storeId}:${order.customerId}`).digest('hex').slice(0, 8).toUpperCase()}`;
    const until = new Date(this.clock.now().getTime() + REWARD_VALID_DAYS * DAY_MS);
    const created = await this.promotions.createFromText(store, `${code} ${this.opts.reward} once limit 1 until ${until.toISOString().slice(0, 10)}`);
    if (!created.ok) {
      if (created.code !== 'CONFLICT') this.log.error({ reward: this.opts.reward, error: created.message }, 'referral reward could not be created');
      return;
    }
    this.log.info({ order: order.number, referrer: referral.referrer, code }, 'referral rewarded');
    await this.notifier.rewarded(referral.referrer, { code, what: describePromotion(created.value), until }).catch((err: unknown) => this.log.warn({ err, code }, 'referral reward not announced'));
  }

  private async refusal(order: OrderRecord, customerId: string, referral: { referrer: string; at: Date }): Promise<string | null> {
    const referrer = await this.repo.customerByIdentity(order.storeId, referral.referrer);
    if (!referrer) return 'referrer unknown';
    if (referrer === customerId) return 'self-referral';
    const created = await this.repo.customerCreatedAt(customerId);
    if (!created || created.getTime() < referral.at.getTime() - NEW_CUSTOMER_SLACK_MS) return 'not a new customer';
    if ((await this.repo.purchasedOrders(order.storeId, customerId)) !== 1) return 'not the first order';
    const theirs = await this.repo.contactsOf(order.storeId, referrer);
    if (orderContacts(order).some((c) => theirs.has(c))) return 'same contact details as the referrer';
    return null;
  }
}
