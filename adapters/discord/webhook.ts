import type { APIInteraction } from 'discord-api-types/v10';
import { router, type RouteDeps } from '../../src/http/context.ts';
import { chartLink } from '../../src/http/chart-link.ts';
import { errorBody } from '../../src/http/errors.ts';
import { DiscordInteractions } from './interactions.ts';
import { createDiscordRest } from './rest.ts';
import { discordPublicKey, isValidDiscordSignature } from './verify.ts';

export const WEBHOOK_PATH = '/webhooks/discord';

export type DiscordRouteDeps = Pick<RouteDeps, 'services' | 'config' | 'log' | 'processedEvents'>;

/** The staff's Discord user ids, from SELLER_IDS entries `discord:<id>`. */
export function discordStaff(sellerIds: readonly { channel: string; externalId: string }[]): Set<string> {
  return new Set(sellerIds.filter((s) => s.channel === 'discord').map((s) => s.externalId));
}

/** The interaction handler both the HTTP endpoint and the gateway use. */
export function discordInteractions(deps: DiscordRouteDeps, opts: { deferAfterMs?: number } = {}): DiscordInteractions {
  const { config, services } = deps;
  return new DiscordInteractions({
    conversation: services.conversation,
    catalog: services.catalog,
    search: services.search,
    orders: services.orders,
    carts: services.carts,
    customers: services.customers,
    refunds: services.payments.refunds,
    salesReport: services.salesReport,
    promotions: services.promotions,
    broadcasts: services.broadcasts,
    groupDeals: services.groupDeals,
    campaigns: services.campaigns,
    processedEvents: deps.processedEvents,
    rest: createDiscordRest({ apiRoot: config.DISCORD_API_ROOT, token: config.DISCORD_TOKEN }),
    store: config.DEFAULT_STORE,
    chartUrl: (store, days) => (config.linkSecret && config.PUBLIC_URL ? chartLink(config.linkSecret, config.publicUrl, store.slug, days, new Date()) : null),
    staff: discordStaff(config.SELLER_IDS),
    staffRoleId: config.DISCORD_STAFF_ROLE_ID,
    log: deps.log,
    deferAfterMs: opts.deferAfterMs,
  });
}

/**
 * POST /webhooks/discord, Discord's HTTP interactions endpoint: the Ed25519
 * signature over timestamp + raw body is checked before anything is parsed
 * (401 otherwise, with no effect); PING is answered with PONG; everything else
 * goes to the shared interaction handler. 404 while DISCORD_PUBLIC_KEY is unset.
 */
export function discordWebhookRoutes(deps: DiscordRouteDeps) {
  const app = router();
  const key = deps.config.DISCORD_PUBLIC_KEY ? discordPublicKey(deps.config.DISCORD_PUBLIC_KEY) : null;
  const interactions = key ? discordInteractions(deps) : null;

  app.post(WEBHOOK_PATH, async (c) => {
    if (!key || !interactions) return c.json(errorBody('NOT_FOUND', 'Discord is not configured on this server'), 404);
    const raw = await c.req.text();
    if (!isValidDiscordSignature(key, c.req.header('x-signature-ed25519'), c.req.header('x-signature-timestamp'), raw)) {
      deps.log.warn({ path: WEBHOOK_PATH }, 'discord interaction with a bad signature refused');
      return c.json(errorBody('UNAUTHORIZED', 'invalid request signature'), 401);
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(raw) as APIInteraction;
    } catch {
      return c.json(errorBody('BAD_REQUEST', 'The body is not JSON'), 400);
    }
    const answer = await interactions.handle(interaction);
    // Follow-ups need Discord to have our answer first: start them once it is on its way.
    if (answer.after) setImmediate(() => void answer.after?.());
    return c.json(answer.response, 200);
  });
  return app;
}
