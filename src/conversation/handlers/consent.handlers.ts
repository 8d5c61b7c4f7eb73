import { isMarketingChannel } from '../../marketing/consent.service.ts';
import { randomToken } from '../../shared/ids.ts';
import { encodeAction } from '../actions.ts';
import type { Button, Reply } from '../conversation.types.ts';
import type { EngineDeps, TurnContext } from '../engine.ports.ts';
import { menuButtons } from './menu.handlers.ts';

const FORGET_TTL_MS = 10 * 60 * 1000;

const text = (t: string, buttons?: Button[]): Reply => ({ type: 'text', text: t, ...(buttons && { buttons }) });

/** /subscribe and "/start promos": opt in to offers in this chat's channel. */
export async function subscribe(deps: EngineDeps, ctx: TurnContext, source: string): Promise<Reply[]> {
  const { t } = ctx;
  if (!isMarketingChannel(ctx.channel)) return [text(t.m.offersChatOnly())];
  const changed = await deps.consent.subscribe(ctx.store.id, ctx.customerId, ctx.channel, source);
  deps.log.info({ customerId: ctx.customerId, channel: ctx.channel, source, changed }, 'marketing opt-in');
  return [text(changed ? t.m.subscribed({ store: ctx.store.name }) : t.m.alreadySubscribed(), [{ label: t.m.unsubscribeButton(), action: encodeAction({ op: 'unsubscribe' }) }])];
}

/** /stop and the Unsubscribe button under every offer: honoured at once. */
export async function unsubscribe(deps: EngineDeps, ctx: TurnContext, source: string): Promise<Reply[]> {
  const { t } = ctx;
  if (!isMarketingChannel(ctx.channel)) return [text(t.m.offersChatOnly())];
  const was = await deps.consent.status(ctx.customerId, ctx.channel);
  if (was !== 'subscribed') return [text(t.m.notSubscribed())];
  await deps.consent.unsubscribe(ctx.store.id, ctx.customerId, ctx.channel, source);
  deps.log.info({ customerId: ctx.customerId, channel: ctx.channel, source }, 'marketing opt-out');
  return [text(t.m.unsubscribed())];
}

/** /privacy: what is kept about this shopper, with the way to erase it. */
export async function privacy(deps: EngineDeps, ctx: TurnContext): Promise<Reply[]> {
  const { t } = ctx;
  const d = await deps.privacy.export(ctx.store.id, ctx.customerId);
  const name = [d.customer.displayName, d.customer.email, d.customer.phone].filter(Boolean).join(', ') || '—';
  const identities = d.identities.map((i) => `${i.channel}${i.username ? ` (@${i.username})` : ''}`).join(', ') || '—';
  const consent = d.consent.length ? d.consent.map((c) => `${c.channel}: ${c.status}`).join(', ') : t.m.consentNone();
  const report = t.m.privacyReport({ name, identities, consent, orders: d.orders, carts: d.carts, events: d.events, chats: d.conversations, reviews: d.reviews.length, alerts: d.stockAlerts, messages: d.messages, groupDeals: d.groupDeals });
  return [text(report, [{ label: t.m.forgetButton(), action: encodeAction({ op: 'forgetAsk' }) }])];
}

/** /forgetme: asks first; the confirmation button carries a one-time token. */
export function askForget(deps: EngineDeps, ctx: TurnContext): Reply[] {
  const token = randomToken(8);
  ctx.memory.forgetToken = { token, expiresAt: new Date(deps.clock.now().getTime() + FORGET_TTL_MS).toISOString() };
  return [text(ctx.t.m.forgetAsk(), [{ label: ctx.t.m.forgetYes(), action: encodeAction({ op: 'forget', token }) }, ...menuButtons(ctx).slice(0, 1)])];
}

/** The confirmed erasure; a stale or forged confirmation is refused (null). */
export async function forget(deps: EngineDeps, ctx: TurnContext, token: string): Promise<Reply[] | null> {
  const pending = ctx.memory.forgetToken;
  if (!pending || pending.token !== token || new Date(pending.expiresAt) < deps.clock.now()) return null;
  await deps.privacy.erase(ctx.store.id, ctx.customerId, `customer:${ctx.channel}`);
  ctx.erased = true;
  return [text(ctx.t.m.forgotten())];
}
