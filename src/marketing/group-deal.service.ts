import { fail, ok, type Result } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { formatMoney } from '../shared/money.ts';
import type { Clock } from '../shared/time.ts';
import type { GroupDealCloser } from './group-deal-closer.ts';
import type { DealItemLookup, GroupDealNotifier, GroupDealRepository } from './group-deal.ports.ts';
import type { GroupDealChannel, GroupDealRecord } from './group-deal.types.ts';

export const MAX_DEAL_MS = 30 * 24 * 3600_000;
export const MIN_DEAL_MS = 5 * 60_000;
export const MAX_PEOPLE = 1000;
/** The posted count is edited at most this often per deal (the refresh job catches up). */
export const SHOW_EVERY_MS = 3000;

export interface GroupDealInput {
  /** Product slug (one variant) or SKU. */
  product: string;
  groupPrice: number;
  minPeople: number;
  endsAt: Date;
  channel: GroupDealChannel;
  chatId: string;
  createdBy: string;
}

/** changed: false when the customer was already in (join) or not in (leave). */
export type JoinOutcome = { changed: boolean; deal: GroupDealRecord };
/** CONFLICT: the deal has ended; INSUFFICIENT_STOCK: not enough left for one more joiner. */
export type JoinRefusal = 'CONFLICT' | 'INSUFFICIENT_STOCK' | 'NOT_FOUND';

/**
 * Group buying: a deal posted to a chat, joined once per customer; at its end
 * the closer (group-deal-closer.ts) orders for every joiner at the group price
 * when enough joined, else tells them nobody is charged.
 */
export class GroupDealService {
  private readonly notifiers: GroupDealNotifier[] = [];

  constructor(
    private readonly repo: GroupDealRepository,
    private readonly items: DealItemLookup,
    private readonly closer: GroupDealCloser,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Channels that post and tell (linked once they run). */
  addNotifier(n: GroupDealNotifier): void {
    this.notifiers.push(n);
  }

  async create(storeId: string, input: GroupDealInput): Promise<Result<GroupDealRecord>> {
    const found = await this.items(storeId, input.product);
    if (found.length === 0) return fail('NOT_FOUND', `There is no product or SKU "${input.product}" for sale.`);
    if (found.length > 1) return fail('BAD_REQUEST', `"${input.product}" has several variants; name one SKU: ${found.map((v) => v.sku).join(', ')}`);
    const item = found[0];
    if (!item) return fail('NOT_FOUND', 'Product not found');
    if (item.bundle) return fail('BAD_REQUEST', 'Group deals are for single items, not bundles.');
    const problems: string[] = [];
    if (!Number.isInteger(input.groupPrice) || input.groupPrice <= 0) problems.push('the group price must be above zero');
    else if (input.groupPrice >= item.price) problems.push(`the group price must be below the normal price (${formatMoney({ amount: item.price, currency: item.currency })})`);
    if (!Number.isInteger(input.minPeople) || input.minPeople < 2 || input.minPeople > MAX_PEOPLE) problems.push(`at least 2 and at most ${MAX_PEOPLE} people`);
    const ms = input.endsAt.getTime() - this.clock.now().getTime();
    if (!(ms >= MIN_DEAL_MS && ms <= MAX_DEAL_MS)) problems.push('the deal must last between 5 minutes and 30 days');
    if (item.available < input.minPeople) problems.push(`only ${item.available} in stock, fewer than the people needed`);
    if (problems.length) return fail('VALIDATION_FAILED', `Not created: ${problems.join('; ')}.`, { problems });
    const deal = await this.repo.create({
      storeId,
      productId: item.productId,
      variantId: item.variantId,
      sku: item.sku,
      title: item.title,
      groupPrice: input.groupPrice,
      regularPrice: item.price,
      currency: item.currency,
      minPeople: input.minPeople,
      endsAt: input.endsAt,
      createdBy: input.createdBy,
      channel: input.channel,
      chatId: input.chatId,
    });
    this.log.info({ deal: deal.id, createdBy: input.createdBy, sku: item.sku, minPeople: input.minPeople }, 'group deal created');
    return ok(deal);
  }

  /** Posts the deal to its chat through the channel that serves it; false when none could. */
  async publish(deal: GroupDealRecord): Promise<boolean> {
    for (const n of this.notifiers) {
      const messageId = await n.post(deal).catch((err: unknown) => {
        this.log.warn({ err, deal: deal.id, chat: deal.chatId }, 'group deal not posted');
        return null;
      });
      if (messageId) {
        await this.repo.setMessage(deal.id, messageId);
        return true;
      }
    }
    return false;
  }

  get(storeId: string, id: string): Promise<GroupDealRecord | null> {
    return this.repo.get(storeId, id);
  }

  byId(id: string): Promise<GroupDealRecord | null> {
    return this.repo.byId(id);
  }

  list(storeId: string, limit = 20): Promise<GroupDealRecord[]> {
    return this.repo.list(storeId, limit);
  }

  /** Joins once per customer; refused after the deadline or when stock cannot cover one more. */
  async join(dealId: string, who: { customerId: string; channel: GroupDealChannel; externalUserId: string }): Promise<Result<JoinOutcome, JoinRefusal>> {
    const deal = await this.repo.byId(dealId);
    if (!deal) return fail('NOT_FOUND', 'This deal does not exist.');
    if (!this.isOpen(deal)) return fail('CONFLICT', 'This deal has ended.');
    const stock = (await this.items(deal.storeId, deal.sku))[0]?.available ?? 0;
    if (stock < deal.joined + 1) return fail('INSUFFICIENT_STOCK', 'Not enough stock left for another person.');
    const joined = await this.repo.join(dealId, { customerId: who.customerId, channel: who.channel, externalUserId: who.externalUserId });
    // A closer that claimed the deal meanwhile did not see this join: take it back.
    if ((await this.repo.statusOf(dealId)) !== 'open') {
      if (joined) await this.repo.leave(dealId, who.customerId);
      return fail('CONFLICT', 'This deal has ended.');
    }
    return ok({ changed: joined, deal: (await this.refreshShown(dealId)) ?? deal });
  }

  async leave(dealId: string, customerId: string): Promise<Result<JoinOutcome, JoinRefusal>> {
    const deal = await this.repo.byId(dealId);
    if (!deal) return fail('NOT_FOUND', 'This deal does not exist.');
    if (!this.isOpen(deal)) return fail('CONFLICT', 'This deal has ended.');
    const left = await this.repo.leave(dealId, customerId);
    return ok({ changed: left, deal: (await this.refreshShown(dealId)) ?? deal });
  }

  /** Edits the posted count now unless it was edited within SHOW_EVERY_MS (the job catches up). */
  async refreshShown(dealId: string): Promise<GroupDealRecord | null> {
    const deal = await this.repo.byId(dealId);
    if (!deal?.messageId || deal.shownCount === deal.joined) return deal;
    const now = this.clock.now();
    if (await this.repo.claimShown(deal.id, deal.joined, now, new Date(now.getTime() - SHOW_EVERY_MS))) await this.tell(deal);
    return deal;
  }

  /** The periodic job: closes deals past their end (once each), then catches up posted counts. */
  async tick(): Promise<{ closed: number }> {
    const closed = await this.closer.closeDue((deal, member, notice) => this.tellMember(deal, member, notice), (deal) => this.tell(deal));
    for (const deal of await this.repo.staleShown(50)) await this.refreshShown(deal.id);
    return { closed };
  }

  private isOpen(deal: GroupDealRecord): boolean {
    return deal.status === 'open' && this.clock.now() < deal.endsAt;
  }

  private async tell(deal: GroupDealRecord): Promise<void> {
    for (const n of this.notifiers) await n.dealChanged(deal).catch((err: unknown) => this.log.warn({ err, deal: deal.id }, 'group deal message not updated'));
  }

  private async tellMember(...args: Parameters<GroupDealNotifier['memberClosed']>): Promise<void> {
    for (const n of this.notifiers) await n.memberClosed(...args).catch((err: unknown) => this.log.warn({ err, deal: args[0].id }, 'group deal outcome not delivered'));
  }
}
