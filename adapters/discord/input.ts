import {
  ApplicationCommandOptionType,
  type InteractionType,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIUser,
} from 'discord-api-types/v10';
import type { ConversationIdentity } from '../../src/conversation/conversation.types.ts';

type Option = APIApplicationCommandInteractionDataOption;

/** The user behind an interaction: `member.user` in a server, `user` in a DM. */
export function userOf(i: APIInteraction): APIUser | undefined {
  return ('member' in i && i.member?.user) || i.user;
}

/** Who and where, for the engine: the user id, the channel, the user's Discord locale. */
export function identityOf(i: Exclude<APIInteraction, { type: InteractionType.Ping }>, user: APIUser): ConversationIdentity {
  return {
    externalUserId: user.id,
    chatId: i.channel?.id ?? i.channel_id,
    username: user.username,
    displayName: user.global_name ?? user.username,
    locale: i.locale ?? i.guild_locale,
  };
}

export function stringOption(options: readonly Option[] | undefined, name: string): string | undefined {
  const o = options?.find((x) => x.name === name);
  return o?.type === ApplicationCommandOptionType.String ? o.value : undefined;
}

export function integerOption(options: readonly Option[] | undefined, name: string): number | undefined {
  const o = options?.find((x) => x.name === name);
  return o?.type === ApplicationCommandOptionType.Integer && typeof o.value === 'number' ? o.value : undefined;
}

/** The subcommand of a command such as `/staff orders`, with its own options. */
export function subcommand(options: readonly Option[] | undefined): { name: string; options: Option[] } | undefined {
  const o = options?.[0];
  return o?.type === ApplicationCommandOptionType.Subcommand ? { name: o.name, options: o.options ?? [] } : undefined;
}

/** The option being typed in an autocomplete interaction. */
export function focusedValue(options: readonly Option[] | undefined): string {
  for (const o of options ?? []) {
    if (o.type === ApplicationCommandOptionType.String && o.focused) return o.value;
  }
  return '';
}

/** Commands whose answer only the shopper may see. */
export const PRIVATE_COMMANDS: ReadonlySet<string> = new Set(['cart', 'checkout', 'orders', 'staff', 'subscribe', 'stop', 'privacy', 'forgetme']);
