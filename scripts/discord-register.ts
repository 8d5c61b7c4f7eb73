// npm run discord:register — registers the bot's slash commands on Discord.
//   npm run discord:register                 global (all servers and DMs; may take a while to show)
//   npm run discord:register -- --guild <id> one server only (instant; for testing)
// Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (from .env or the environment).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DiscordAPIError } from '@discordjs/rest';
import { registerCommands } from '../adapters/discord/register.ts';
import { createDiscordRest } from '../adapters/discord/rest.ts';
import { ConfigError, loadConfig } from '../src/config/env.ts';

function fail(message: string): never {
  process.stderr.write(`discord:register: ${message}\n`);
  process.exit(1);
}

async function main() {
  let guild: string | undefined;
  try {
    ({ values: { guild } } = parseArgs({ options: { guild: { type: 'string' } }, strict: true }));
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}\nUsage: npm run discord:register [-- --guild <server id>]`);
  }
  if (guild !== undefined && !/^\d{5,25}$/.test(guild)) fail('--guild must be a server id (a number such as 123456789012345678)');
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(`${err.message}\nSee .env.example for every key.`);
    throw err;
  }
  const missing = (['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID'] as const).filter((k) => !config[k]);
  if (missing.length || !config.DISCORD_APPLICATION_ID) {
    fail(`set ${missing.join(' and ')} first (Discord developer portal: your application → Bot for the token, General Information for the application id).`);
  }
  const rest = createDiscordRest({ apiRoot: config.DISCORD_API_ROOT, token: config.DISCORD_TOKEN, retries: 1 });
  try {
    const { scope, names } = await registerCommands(rest, config.DISCORD_APPLICATION_ID, guild);
    process.stdout.write(`Registered ${names.length} slash commands (${scope}): ${names.map((n) => `/${n}`).join(' ')}\n`);
  } catch (err) {
    if (err instanceof DiscordAPIError) {
      const hint = err.status === 401 ? ' (the token was refused: check DISCORD_TOKEN)' : err.status === 403 || err.status === 404 ? ' (check DISCORD_APPLICATION_ID, and that the bot is in that server)' : '';
      fail(`Discord answered ${err.status}: ${err.message}${hint}`);
    }
    fail(`could not reach Discord: ${err instanceof Error ? err.message : String(err)}`);
  }
}

await main();
