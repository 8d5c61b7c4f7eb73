import { type Composer } from 'grammy';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { parseGroupBuy } from '../../src/marketing/group-deal-command.ts';
import type { GroupDealService } from '../../src/marketing/group-deal.service.ts';
import { identityOf, parseCommand } from './input.ts';
import { translatorFor } from './locale.ts';
import { dealText } from './group-deal-notifier.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';
import { ShopComposer } from './shop-composer.ts';

/** Join/Leave taps: "GD:<deal id>:j|l". Anything else under GD: is refused. */
const BUTTON = /^GD:([a-z0-9]{1,40}):([jl])$/;

/**
 * Group buying on Telegram. Staff: /groupbuy in a group the bot is in (the
 * deal is posted there), or from the private chat naming the target chat with
 * "in <chat id | @channel>". Anyone: Join and Leave under the posted deal,
 * once per customer; the answer is shown only to them.
 */
export function groupDealComposer(deps: TelegramDeps, shop: ShopRef, staff: ReadonlySet<string>, deals: GroupDealService): Composer<ShopContext> {
  const c = new ShopComposer();
  const isStaff = (ctx: ShopContext) => ctx.from !== undefined && staff.has(String(ctx.from.id));

  c.command('groupbuy', async (ctx) => {
    ctx.turn.committed = true;
    if (!isStaff(ctx)) {
      deps.log.warn({ telegramUser: ctx.from?.id, attempted: '/groupbuy' }, 'seller command refused: not staff');
      return void (await ctx.reply('Sorry, that command is for the shop staff only.'));
    }
    const cmd = parseCommand(ctx.msg.text);
    const store = await shop.get();
    const spec = parseGroupBuy(cmd?.args ?? '', store.currency);
    if (typeof spec === 'string') return void (await ctx.reply(spec));
    const isPrivate = ctx.chat.type === 'private';
    const chatId = spec.target ?? (isPrivate ? null : String(ctx.chat.id));
    if (!chatId) return void (await ctx.reply('From the private chat, name the group or channel: add "in <chat id>" or "in @channel".'));
    const r = await deals.create(store.id, {
      product: spec.product,
      groupPrice: spec.groupPrice,
      minPeople: spec.minPeople,
      endsAt: new Date(deps.clock.now().getTime() + spec.durationMs),
      channel: 'telegram',
      chatId,
      createdBy: `staff:telegram:${ctx.from?.id}`,
    });
    if (!r.ok) return void (await ctx.reply(r.message));
    const posted = await deals.publish(r.value);
    if (!posted) return void (await ctx.reply(`The deal was saved but could not be posted to ${chatId}: is the bot a member (an admin, for a channel)?`));
    if (isPrivate) await ctx.reply(`Posted to ${chatId}:\n\n${dealText(translator('en'), r.value)}`);
  });

  c.callbackQuery(/^GD:/, async (ctx) => {
    ctx.turn.committed = true;
    const t = await translatorFor(shop, ctx.from.language_code);
    const m = BUTTON.exec(ctx.callbackQuery.data);
    const who = identityOf(ctx);
    if (!m?.[1] || !who) {
      deps.log.warn({ telegramUser: ctx.from.id, data: ctx.callbackQuery.data }, 'group deal button refused: not ours');
      return void (await ctx.answerCallbackQuery({ text: t.m.groupDealEnded() }));
    }
    const [, dealId = '', op] = m;
    const store = await shop.get();
    const deal = await deals.byId(dealId);
    if (!deal || deal.storeId !== store.id || deal.channel !== 'telegram') {
      deps.log.warn({ telegramUser: ctx.from.id, data: ctx.callbackQuery.data }, 'group deal button refused: unknown deal');
      return void (await ctx.answerCallbackQuery({ text: t.m.groupDealEnded() }));
    }
    const customer = await deps.customers.identify(store.id, { channel: 'telegram', externalUserId: who.externalUserId, chatId: who.chatId, username: who.username, locale: who.locale });
    if (op === 'j') {
      const r = await deals.join(deal.id, { customerId: customer.id, channel: 'telegram', externalUserId: who.externalUserId });
      if (!r.ok) return void (await ctx.answerCallbackQuery({ text: r.code === 'INSUFFICIENT_STOCK' ? t.m.groupDealSoldOut() : t.m.groupDealEnded(), show_alert: true }));
      return void (await ctx.answerCallbackQuery({ text: r.value.changed ? t.m.groupDealJoined({ joined: r.value.deal.joined, min: deal.minPeople }) : t.m.groupDealAlreadyIn() }));
    }
    const r = await deals.leave(deal.id, customer.id);
    if (!r.ok) return void (await ctx.answerCallbackQuery({ text: t.m.groupDealEnded(), show_alert: true }));
    await ctx.answerCallbackQuery({ text: r.value.changed ? t.m.groupDealLeft() : t.m.groupDealNotIn() });
  });
  return c;
}
