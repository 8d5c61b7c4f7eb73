import { InlineKeyboard, type Api } from 'grammy';
import { resolveLocale, translator, type Translator } from '../../src/conversation/i18n/i18n.ts';
import type { GroupDealNotifier } from '../../src/marketing/group-deal.ports.ts';
import type { GroupDealMemberRecord, GroupDealRecord, MemberNotice } from '../../src/marketing/group-deal.types.ts';
import { clip, MAX_TEXT } from './html.ts';
import { sendInvoiceFor, type CheckoutReply } from './invoice.ts';
import { isPublicUrl } from './keyboard.ts';
import type { ShopRef, TelegramDeps } from './telegram.types.ts';

export const dealButton = (dealId: string, op: 'j' | 'l') => `GD:${dealId}:${op}`;

/** The posted deal: product, group vs normal price, people needed, deadline and the live count. */
export function dealText(t: Translator, deal: GroupDealRecord): string {
  if (deal.status === 'succeeded') return t.m.groupDealReached({ title: deal.title, joined: deal.joined });
  if (deal.status === 'failed') return t.m.groupDealMissed({ title: deal.title, joined: deal.joined, min: deal.minPeople });
  return t.m.groupDealPost({
    title: deal.title,
    group: t.money({ amount: deal.groupPrice, currency: deal.currency }),
    regular: t.money({ amount: deal.regularPrice, currency: deal.currency }),
    min: deal.minPeople,
    joined: deal.joined,
    ends: deal.endsAt.toISOString().slice(0, 16).replace('T', ' '),
  });
}

export const dealKeyboard = (t: Translator, deal: GroupDealRecord) =>
  new InlineKeyboard().text(t.m.groupDealJoin(), dealButton(deal.id, 'j')).text(t.m.groupDealLeave(), dealButton(deal.id, 'l'));

type Link = { api: Api; deps: TelegramDeps; shop: ShopRef };

/**
 * Telegram side of group deals: posts the deal, edits its count in place
 * (through the bot's paced sender), and gives each joiner the outcome in their
 * private chat — the order's payment step as checkout gives it (a native
 * invoice when invoices are on, else the payment link).
 */
export class TelegramGroupDealNotifier implements GroupDealNotifier {
  private link: Link | null = null;

  attach(link: Link): void {
    this.link = link;
  }

  async post(deal: GroupDealRecord): Promise<string | null> {
    if (!this.link || deal.channel !== 'telegram') return null;
    const t = await this.storeT();
    const sent = await this.link.api.sendMessage(deal.chatId, dealText(t, deal), { reply_markup: dealKeyboard(t, deal) });
    return String(sent.message_id);
  }

  async dealChanged(deal: GroupDealRecord): Promise<void> {
    if (!this.link || deal.channel !== 'telegram' || !deal.messageId) return;
    const t = await this.storeT();
    const open = deal.status === 'open';
    await this.link.api.editMessageText(deal.chatId, Number(deal.messageId), dealText(t, deal), open ? { reply_markup: dealKeyboard(t, deal) } : {}).catch((err: unknown) => {
      // "message is not modified" and a deleted post are not worth a retry.
      this.link?.deps.log.info({ err, deal: deal.id }, 'group deal post not edited');
    });
  }

  async memberClosed(deal: GroupDealRecord, member: GroupDealMemberRecord, notice: MemberNotice): Promise<void> {
    const link = this.link;
    if (!link || member.channel !== 'telegram') return;
    const store = await link.shop.get();
    const customer = await link.deps.customers.get(store.id, member.customerId).catch(() => null);
    const identity = customer?.identities.find((i) => i.channel === 'telegram' && i.externalUserId === member.externalUserId);
    const languageCode = identity?.locale ?? customer?.locale ?? null;
    const t = translator(resolveLocale(languageCode, store.locale));
    const chatId = Number(member.externalUserId);
    if (notice.kind !== 'ordered') {
      const text = notice.kind === 'sold_out' ? t.m.groupDealMemberSoldOut({ title: deal.title }) : t.m.groupDealNotReached({ title: deal.title });
      await link.api.sendMessage(chatId, text);
      return;
    }
    const { order, payment } = notice;
    const text = t.m.groupDealSuccess({ title: deal.title, price: t.money({ amount: order.total, currency: order.currency }), number: order.number });
    const reply: CheckoutReply = {
      type: 'checkout',
      text,
      orderNumber: order.number,
      total: { amount: order.total, currency: order.currency },
      totalText: t.money({ amount: order.total, currency: order.currency }),
      provider: payment?.provider ?? null,
      url: payment?.url ?? null,
      expiresAt: order.reservedUntil?.toISOString() ?? null,
      buttons: [],
    };
    if (await sendInvoiceFor(link.api, chatId, reply, link.deps, link.shop, languageCode ?? undefined)) return;
    const url = payment?.url ?? null;
    const body = !url ? `${text}\n${t.m.paymentUnavailable()}` : isPublicUrl(url) ? text : `${text}\n${t.m.pay()}: ${url}`;
    await link.api.sendMessage(chatId, clip(body, MAX_TEXT), url && isPublicUrl(url) ? { reply_markup: new InlineKeyboard().url(t.m.pay(), url) } : {});
  }

  private async storeT(): Promise<Translator> {
    const store = await (this.link as Link).shop.get();
    return translator(resolveLocale(null, store.locale));
  }
}
