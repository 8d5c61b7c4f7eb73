export { slashCommands } from './commands.ts';
export { DiscordInteractions, type Answer, type InteractionDeps } from './interactions.ts';
export { DiscordOrderNotifier } from './notifier.ts';
export { apiBase, createDiscordRest } from './rest.ts';
export { discordInteractions, discordStaff, discordWebhookRoutes, WEBHOOK_PATH } from './webhook.ts';
export { startDiscordGateway, type DiscordGateway } from './gateway.ts';
export { registerCommands } from './register.ts';
