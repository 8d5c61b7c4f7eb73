import type { StoreRecord } from '../../src/catalog/catalog.types.ts';
import { translator, type Translator } from '../../src/conversation/i18n/i18n.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import { parseGroupBuy } from '../../src/marketing/group-deal-command.ts';
import type { GroupDealService } from '../../src/marketing/group-deal.service.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { Clock } from '../../src/shared/time.ts';
import { dealPost } from './group-deal-notifier.ts';
import type { DiscordMessage } from './render.ts';
import { staffNote } from './staff.ts';

const BUTTON = /^gd:([a-z0-9]{1,40}):([jl])$/;

export interface GroupDealDeskDeps {
  deals: GroupDealService;
  customers: CustomerService;
  clock: Clock;
  log: Logger;
}

export interface GroupBuyOptions {
  product?: string | undefined;
  price?: string | undefined;
  people?: number | undefined;
  duration?: string | undefined;
  channel?: string | undefined;
}

const note = (text: string): DiscordMessage => ({ content: text, embeds: [], components: [], private: true });

/**
 * `/groupbuy product price people duration channel` (staff; the caller checks)
 * and the Join / Leave buttons under a posted deal (anyone, answered only to them).
 */
export class GroupDealDesk {
  constructor(private readonly deps: GroupDealDeskDeps) {}

  async command(store: StoreRecord, userId: string, o: GroupBuyOptions): Promise<DiscordMessage> {
    if (!o.channel || !/^\d{5,25}$/.test(o.channel)) return staffNote('Usage: /groupbuy product price people duration channel, e.g. classic-mug 9.90 5 2d #deals.');
    const spec = parseGroupBuy(`${o.product ?? ''} ${o.price ?? ''} ${o.people ?? ''} for ${o.duration ?? ''}`, store.currency);
    if (typeof spec === 'string') return staffNote(spec.split('\n')[0] ?? spec);
    const r = await this.deps.deals.create(store.id, {
      product: spec.product,
      groupPrice: spec.groupPrice,
      minPeople: spec.minPeople,
      endsAt: new Date(this.deps.clock.now().getTime() + spec.durationMs),
      channel: 'discord',
      chatId: o.channel,
      createdBy: `staff:discord:${userId}`,
    });
    if (!r.ok) return staffNote(r.message);
    if (!(await this.deps.deals.publish(r.value))) return staffNote(`The deal was saved but I cannot post in <#${o.channel}>: give the bot View Channel and Send Messages there.`);
    return staffNote(`Posted in <#${o.channel}>:\n${dealPost(translator('en'), r.value).content ?? ''}`);
  }

  async button(store: StoreRecord, user: { id: string; locale: string | undefined }, customId: string, t: Translator): Promise<DiscordMessage> {
    const m = BUTTON.exec(customId);
    const deal = m?.[1] ? await this.deps.deals.byId(m[1]) : null;
    if (!m || !deal || deal.storeId !== store.id || deal.channel !== 'discord') {
      this.deps.log.warn({ discordUser: user.id, customId }, 'group deal button refused: not ours');
      return note(t.m.groupDealEnded());
    }
    const customer = await this.deps.customers.identify(store.id, { channel: 'discord', externalUserId: user.id, locale: user.locale });
    if (m[2] === 'j') {
      const r = await this.deps.deals.join(deal.id, { customerId: customer.id, channel: 'discord', externalUserId: user.id });
      if (!r.ok) return note(r.code === 'INSUFFICIENT_STOCK' ? t.m.groupDealSoldOut() : t.m.groupDealEnded());
      return note(r.value.changed ? t.m.groupDealJoined({ joined: r.value.deal.joined, min: deal.minPeople }) : t.m.groupDealAlreadyIn());
    }
    const r = await this.deps.deals.leave(deal.id, customer.id);
    if (!r.ok) return note(t.m.groupDealEnded());
    return note(r.value.changed ? t.m.groupDealLeft() : t.m.groupDealNotIn());
  }
}
