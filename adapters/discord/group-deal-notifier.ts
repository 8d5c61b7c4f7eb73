import type { REST } from '@discordjs/rest';
import { ButtonStyle, ComponentType, Routes, type RESTPostAPIChannelMessageResult } from 'discord-api-types/v10';
import { resolveLocale, translator, type Translator } from '../../src/conversation/i18n/i18n.ts';
import type { CustomerService } from '../../src/customers/customers.service.ts';
import type { GroupDealNotifier } from '../../src/marketing/group-deal.ports.ts';
import type { GroupDealMemberRecord, GroupDealRecord, MemberNotice } from '../../src/marketing/group-deal.types.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { Row } from './components.ts';
import { cut, LIMITS } from './limits.ts';
import { cannotDirectMessage, sendDirectMessage } from './notifier.ts';
import { messageBody, type DiscordMessage } from './render.ts';

/** Join and Leave on a posted deal: "gd:<deal id>:j|l". */
export const GROUP_DEAL_PREFIX = 'gd:';
export const dealCustomId = (dealId: string, op: 'j' | 'l') => `${GROUP_DEAL_PREFIX}${dealId}:${op}`;

/** The public deal post: product, group vs normal price, people needed, deadline, live count; buttons while open. */
export function dealPost(t: Translator, deal: GroupDealRecord): DiscordMessage {
  const money = (amount: number) => t.money({ amount, currency: deal.currency });
  const content =
    deal.status === 'succeeded'
      ? t.m.groupDealReached({ title: deal.title, joined: deal.joined })
      : deal.status === 'failed'
        ? t.m.groupDealMissed({ title: deal.title, joined: deal.joined, min: deal.minPeople })
        : t.m.groupDealPost({ title: deal.title, group: money(deal.groupPrice), regular: money(deal.regularPrice), min: deal.minPeople, joined: deal.joined, ends: deal.endsAt.toISOString().slice(0, 16).replace('T', ' ') });
  const open = deal.status === 'open';
  const row: Row = {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Success, label: t.m.groupDealJoin(), custom_id: dealCustomId(deal.id, 'j') },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: t.m.groupDealLeave(), custom_id: dealCustomId(deal.id, 'l') },
    ],
  };
  return { content: cut(content, LIMITS.content), embeds: [], components: open ? [row] : [], private: false };
}

export interface DiscordGroupDealLink {
  rest: REST;
  customers: CustomerService;
  /** The store's language, for the public post. */
  locale: string;
  log: Logger;
}

/**
 * Discord side of group deals: posts the deal to its channel, edits the count
 * in place (discord.js REST queues per route and honours 429s), and DMs each
 * joiner the outcome — the payment link button when their order is placed.
 */
export class DiscordGroupDealNotifier implements GroupDealNotifier {
  private link: DiscordGroupDealLink | null = null;

  attach(link: DiscordGroupDealLink): void {
    this.link = link;
  }

  async post(deal: GroupDealRecord): Promise<string | null> {
    if (!this.link || deal.channel !== 'discord') return null;
    const sent = (await this.link.rest.post(Routes.channelMessages(deal.chatId), { body: messageBody(dealPost(translator(resolveLocale(null, this.link.locale)), deal)) })) as RESTPostAPIChannelMessageResult;
    return sent.id;
  }

  async dealChanged(deal: GroupDealRecord): Promise<void> {
    if (!this.link || deal.channel !== 'discord' || !deal.messageId) return;
    await this.link.rest.patch(Routes.channelMessage(deal.chatId, deal.messageId), { body: messageBody(dealPost(translator(resolveLocale(null, this.link.locale)), deal)) });
  }

  async memberClosed(deal: GroupDealRecord, member: GroupDealMemberRecord, notice: MemberNotice): Promise<void> {
    const link = this.link;
    if (!link || member.channel !== 'discord') return;
    const customer = await link.customers.get(deal.storeId, member.customerId).catch(() => null);
    const t = translator(resolveLocale(customer?.locale ?? null, link.locale));
    const m: DiscordMessage = { content: '', embeds: [], components: [], private: false };
    if (notice.kind === 'not_reached') m.content = t.m.groupDealNotReached({ title: deal.title });
    else if (notice.kind === 'sold_out') m.content = t.m.groupDealMemberSoldOut({ title: deal.title });
    else {
      const { order, payment } = notice;
      m.content = t.m.groupDealSuccess({ title: deal.title, price: t.money({ amount: order.total, currency: order.currency }), number: order.number });
      if (payment?.url) m.components = [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Link, label: t.m.pay(), url: payment.url }] }];
      else m.content = `${m.content}\n${t.m.paymentUnavailable()}`;
    }
    try {
      await sendDirectMessage(link.rest, member.externalUserId, m);
    } catch (err) {
      if (!cannotDirectMessage(err)) throw err;
      link.log.info({ deal: deal.id, user: member.externalUserId }, 'discord joiner cannot be messaged; group deal outcome not sent');
      await link.customers.markUnreachable(deal.storeId, 'discord', member.externalUserId, new Date());
    }
  }
}
