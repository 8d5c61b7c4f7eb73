import type { Context } from 'grammy';
import type { ConversationIdentity } from '../../src/conversation/conversation.types.ts';

/** Who is talking: the Telegram user, with their private chat when this is one. */
export function identityOf(ctx: Context): ConversationIdentity | null {
  const from = ctx.from;
  if (!from || from.is_bot) return null;
  const chat = ctx.chat ?? ctx.callbackQuery?.message?.chat;
  return {
    externalUserId: String(from.id),
    // Order updates go to the private chat; a group is never stored as the user's chat.
    chatId: chat?.type === 'private' ? String(chat.id) : undefined,
    username: from.username,
    displayName: [from.first_name, from.last_name].filter(Boolean).join(' ') || undefined,
    locale: from.language_code,
  };
}

export const isGroup = (ctx: Context) => ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup';

/** "/cart@shopbot extra words" → { name: 'cart', target: 'shopbot', args: 'extra words' }. */
export function parseCommand(text: string): { name: string; target: string | null; args: string } | null {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m?.[1]) return null;
  return { name: m[1].toLowerCase(), target: m[2] ?? null, args: (m[3] ?? '').trim() };
}
