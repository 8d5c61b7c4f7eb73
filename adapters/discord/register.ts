import type { REST } from '@discordjs/rest';
import { Routes, type RESTPutAPIApplicationCommandsResult } from 'discord-api-types/v10';
import { slashCommands } from './commands.ts';

/**
 * Puts the bot's slash commands on Discord with one bulk overwrite, so running
 * it again changes nothing and commands removed from the code disappear.
 * Per guild (instant, for testing) or global (all servers and DMs).
 */
export async function registerCommands(rest: REST, applicationId: string, guildId?: string): Promise<{ scope: string; names: string[] }> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const result = (await rest.put(route, { body: slashCommands() })) as RESTPutAPIApplicationCommandsResult;
  return { scope: guildId ? `guild ${guildId}` : 'global', names: result.map((c) => c.name) };
}
