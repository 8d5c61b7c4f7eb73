import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Options, type User } from 'discord.js';
import { Routes, type APIInteraction, type GatewayMessageCreateDispatchData } from 'discord-api-types/v10';
import { translator } from '../../src/conversation/i18n/i18n.ts';
import { cannotDirectMessage, sendDirectMessage } from './notifier.ts';
import { messageBody, renderReplies, type DiscordMessage } from './render.ts';
import { apiBase } from './rest.ts';
import { discordInteractions, type DiscordRouteDeps } from './webhook.ts';

export interface DiscordGateway {
  client: Client;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * The gateway, for setups without a public URL: DMs and messages that mention
 * the bot become text turns of the engine, answered in the same channel
 * (private replies by DM); interactions arriving here go through the same
 * handler as POST /webhooks/discord. Caches are bounded: no message cache,
 * users and members capped and swept.
 */
export async function startDiscordGateway(deps: DiscordRouteDeps, opts: { deferAfterMs?: number } = {}): Promise<DiscordGateway> {
  const { config, log } = deps;
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is required for the Discord gateway');
  const interactions = discordInteractions(deps, opts);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent],
    rest: { api: apiBase(config.DISCORD_API_ROOT), retries: 2, timeout: 10_000 },
    makeCache: Options.cacheWithLimits({
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      GuildMemberManager: { maxSize: 200, keepOverLimit: (m) => m.id === m.client.user.id },
      UserManager: { maxSize: 1000, keepOverLimit: (u: User) => u.id === u.client.user.id },
    }),
    sweepers: { ...Options.DefaultSweeperSettings, users: { interval: 3600, filter: () => (u: User) => u.id !== u.client.user.id } },
  });

  client.ws.on(GatewayDispatchEvents.InteractionCreate, (i: APIInteraction) => {
    void (async () => {
      const answer = await interactions.handle(i);
      await client.rest.post(Routes.interactionCallback(i.id, i.token), { body: answer.response, auth: false });
      await answer.after?.();
    })().catch((err: unknown) => log.error({ err, interaction: i.id }, 'discord gateway interaction failed'));
  });
  client.ws.on(GatewayDispatchEvents.MessageCreate, (m: GatewayMessageCreateDispatchData) => {
    void onMessage(deps, client, m).catch((err: unknown) => log.error({ err, message: m.id }, 'discord gateway message failed'));
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord gateway error'));

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Discord gateway did not become ready in time')), READY_TIMEOUT_MS);
    client.once(Events.ClientReady, () => (clearTimeout(timer), resolve()));
  });
  await client.login(config.DISCORD_TOKEN);
  await ready;
  log.info({ bot: client.user?.tag }, 'discord gateway connected');
  return {
    client,
    async stop() {
      await interactions.idle();
      await client.destroy();
    },
  };
}

/** A DM, or a server message that mentions the bot: one text turn; other messages are ignored. */
async function onMessage(deps: DiscordRouteDeps, client: Client, m: GatewayMessageCreateDispatchData): Promise<void> {
  const botId = client.user?.id;
  if (!botId || m.author.bot || m.webhook_id || m.author.id === botId) return;
  const inGuild = m.guild_id !== undefined;
  if (inGuild && !m.mentions.some((u) => u.id === botId)) return;
  // Gateway events may be replayed on resume: each message is handled once.
  if (!(await deps.processedEvents.claim('discord', `message:${m.id}`))) return;
  const text = m.content.replace(new RegExp(`<@!?${botId}>`, 'g'), '').trim();
  const replies = await deps.services.conversation.handle({
    store: deps.config.DEFAULT_STORE,
    channel: 'discord',
    identity: { externalUserId: m.author.id, chatId: m.channel_id, username: m.author.username, displayName: m.author.global_name ?? m.author.username },
    text,
  });
  // Discord sends no locale with messages; the engine answers in the shopper's remembered language.
  const t = translator('en');
  const post = (msg: DiscordMessage, reply: boolean) =>
    client.rest.post(Routes.channelMessages(m.channel_id), { body: { ...messageBody(msg), ...(reply && { message_reference: { message_id: m.id, fail_if_not_exists: false } }) } });
  let first = true;
  let sentPrivately = false;
  for (const msg of renderReplies(replies, t)) {
    if (inGuild && msg.private) {
      // Cart, checkout link and orders never go to a server channel: they go by DM.
      try {
        await sendDirectMessage(client.rest, m.author.id, msg);
        sentPrivately = true;
      } catch (err) {
        if (!cannotDirectMessage(err)) throw err;
        await post({ content: t.m.dmUnavailable(), embeds: [], components: [], private: false }, true);
      }
      continue;
    }
    await post(msg, inGuild && first);
    first = false;
  }
  if (sentPrivately) await post({ content: t.m.sentPrivately(), embeds: [], components: [], private: false }, true);
}
