import type { MiddlewareFn } from 'grammy';
import { isGroup, parseCommand } from './input.ts';
import type { ShopContext } from './telegram.types.ts';

/** "@shopbot" anywhere in the text, as a word. */
export function mentions(text: string, username: string): boolean {
  return new RegExp(`(^|\\W)@${username}\\b`, 'i').test(text);
}

export function withoutMention(text: string, username: string): string {
  return text.replace(new RegExp(`(^|\\W)@${username}\\b`, 'ig'), '$1').trim();
}

/**
 * In groups the bot answers only what is addressed to it: commands with its
 * name (/cart@shopbot), replies to its messages and mentions. With privacy
 * mode on, Telegram sends little else; with it off, the rest is ignored here.
 * Button taps (callback queries) pass: they come from the bot's own messages.
 */
export const addressedToBot: MiddlewareFn<ShopContext> = async (ctx, next) => {
  const msg = ctx.message;
  if (!msg || !isGroup(ctx)) return next();
  const me = ctx.me.username;
  const repliesToMe = msg.reply_to_message?.from?.id === ctx.me.id;
  const text = msg.text ?? '';
  const cmd = parseCommand(text);
  if (cmd) {
    if (cmd.target?.toLowerCase() === me.toLowerCase() || (repliesToMe && cmd.target === null)) return next();
    return;
  }
  if (repliesToMe || mentions(text, me)) return next();
};
