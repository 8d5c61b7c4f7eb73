import { type Composer, InlineKeyboard } from 'grammy';
import { decodeAction } from '../../src/conversation/actions.ts';
import { recordAttribution } from './attribution.ts';
import { resolveStart } from './deep-link.ts';
import { withoutMention } from './groups.ts';
import { identityOf, parseCommand } from './input.ts';
import { translatorFor } from './locale.ts';
import type { EditTarget } from './render.ts';
import type { ShopContext, ShopRef, TelegramDeps } from './telegram.types.ts';
import { editedReplyOf, runTurn } from './turn.ts';
import { ShopComposer } from './shop-composer.ts';

/**
 * The shopper's side: /start with deep links, the shared slash commands,
 * free text and button taps, all through the conversation engine, which also
 * answers /subscribe, /stop, /privacy and /forgetme ("/start promos" opts in).
 */
export function shopperComposer(deps: TelegramDeps, shop: ShopRef): Composer<ShopContext> {
  const c = new ShopComposer();

  c.command('start', async (ctx) => {
    const store = await shop.get();
    // Pressing Start again (also after unblocking the bot) makes the user reachable.
    if (ctx.from) await deps.customers.markUnreachable(store.id, 'telegram', String(ctx.from.id), null);
    const payload = ctx.match.trim();
    if (payload.toLowerCase() === 'promos') return runTurn(ctx, deps, shop, { command: { name: 'start', args: 'promos' } });
    const link = payload ? await resolveStart(payload, deps, shop) : { action: null };
    if (link.attribution) await recordAttribution(ctx, deps, store, link.attribution);
    await runTurn(ctx, deps, shop, link.action ? { action: link.action } : { command: { name: 'start', args: '' } });
  });

  // /invite: the shopper's personal, signed referral link and a button to share it.
  c.command('invite', async (ctx) => {
    const t = await translatorFor(shop, ctx.from?.language_code);
    ctx.turn.committed = true;
    if (!deps.links || !ctx.from) return void (await ctx.reply(t.m.error()));
    // The referrer must be a known customer for the reward to find them later.
    const store = await shop.get();
    const who = identityOf(ctx);
    if (who) {
      await deps.customers.identify(
        store.id,
        { channel: 'telegram', externalUserId: who.externalUserId, chatId: who.chatId ?? null, username: who.username ?? null, locale: who.locale ?? null },
        { ...(who.displayName && { displayName: who.displayName }) },
      );
    }
    const link = `https://t.me/${ctx.me.username}?start=${deps.links.encode({ kind: 'referral', referrer: String(ctx.from.id) })}`;
    await ctx.reply(t.m.inviteLink({ link }), {
      link_preview_options: { is_disabled: true },
      reply_markup: new InlineKeyboard().url(t.m.inviteShare(), `https://t.me/share/url?url=${encodeURIComponent(link)}`),
    });
  });

  c.on('message:text', async (ctx) => {
    const text = ctx.msg.text;
    const cmd = parseCommand(text);
    if (cmd) {
      if (cmd.target && cmd.target.toLowerCase() !== ctx.me.username.toLowerCase()) return;
      await runTurn(ctx, deps, shop, { command: { name: cmd.name, args: cmd.args } });
      return;
    }
    await runTurn(ctx, deps, shop, { text: withoutMention(text, ctx.me.username) });
  });

  c.on('callback_query:data', async (ctx) => {
    const data = ctx.callbackQuery.data;
    const action = decodeAction(data);
    let toast: string | undefined;
    try {
      if (!ctx.chat || !action) {
        // A button from an inline message (no chat to answer in), or forged data.
        toast = (await translatorFor(shop, ctx.from.language_code)).m.staleButton();
        if (!ctx.chat) return;
      }
      const msg = ctx.callbackQuery.message;
      const expect = action && ctx.chat.type === 'private' ? editedReplyOf(action) : null;
      const target: EditTarget | undefined = msg && expect ? { chatId: msg.chat.id, messageId: msg.message_id, isPhoto: 'photo' in msg && Boolean(msg.photo) } : undefined;
      const note = await runTurn(ctx, deps, shop, { action: data }, target && expect ? { target, expect } : undefined);
      toast ??= note;
    } finally {
      await ctx.answerCallbackQuery(toast ? { text: toast } : undefined).catch((err: unknown) => deps.log.warn({ err }, 'answerCallbackQuery failed'));
    }
  });

  return c;
}
