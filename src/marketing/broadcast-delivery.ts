import type { Clock } from '../shared/time.ts';
import type { AudienceState, BroadcastRepository, MarketingSender } from './broadcast.ports.ts';
import type { BroadcastMessage, ClaimedDelivery, DeliveryResult } from './broadcast.types.ts';
import { gate, type StoreMessagingRules } from './consent-gate.ts';

/** What sending one claimed delivery needs (the embedded runner and the BullMQ worker share it). */
export interface DeliveryContext {
  repo: Pick<BroadcastRepository, 'sentSince'>;
  audience: AudienceState;
  clock: Clock;
  rules: StoreMessagingRules;
  /** Transient errors are retried this many times in all. */
  maxAttempts: number;
}

export interface DeliveryOutcome {
  result: DeliveryResult;
  /** The platform answered 429: the channel pauses until this time (ms since epoch). */
  pauseUntil?: number;
}

/**
 * One claimed delivery: consent, blocks, quiet hours and the frequency cap are
 * checked right before the send (opt-outs mid-send count), then the message
 * goes out and its outcome is mapped to what the delivery row records.
 */
export async function deliverBroadcast(ctx: DeliveryContext, sender: MarketingSender, d: ClaimedDelivery, message: BroadcastMessage | null): Promise<DeliveryOutcome> {
  const checked = await gateDelivery(ctx, d, message);
  return checked.send ? sendChecked(ctx, sender, d, checked.message) : { result: checked.result };
}

/** The gate's answer: send this message, or record this result. */
export type GateCheck = { send: true; message: BroadcastMessage } | { send: false; result: DeliveryResult };

/**
 * The gate alone: whether the delivery may go out now, else what it records
 * (no opt-in, blocked, quiet hours, over the cap, the broadcast gone). A
 * runner that paces its sends checks this before it takes a slot, so a
 * database round trip never sits between a send's slot and the platform
 * call (the platform counts arrivals).
 */
export async function gateDelivery(ctx: DeliveryContext, d: ClaimedDelivery, message: BroadcastMessage | null): Promise<GateCheck> {
  const refuse = (result: DeliveryResult): GateCheck => ({ send: false, result });
  if (!message) return refuse({ status: 'skipped', error: 'the broadcast or its product is gone' });
  const now = ctx.clock.now();
  const rules = ctx.rules;
  const since = new Date(now.getTime() - (rules.frequencyCap?.perHours ?? 0) * 3_600_000);
  const recent = rules.frequencyCap ? await ctx.repo.sentSince(d.customerId, since) : 0;
  const decision = gate('marketing', await ctx.audience.state(d.customerId, d.channel), rules, recent, now);
  if (decision.send) return { send: true, message };
  if (decision.reason === 'QUIET_HOURS') return refuse({ status: 'pending', retryAt: decision.retryAt, error: 'quiet hours' });
  return refuse(decision.reason === 'UNREACHABLE' ? { status: 'blocked', error: 'unreachable' } : { status: 'skipped', error: decision.reason.toLowerCase() });
}

/** Sends a delivery the gate let through and maps the platform's answer to what the row records. */
export async function sendChecked(ctx: DeliveryContext, sender: MarketingSender, d: ClaimedDelivery, message: BroadcastMessage): Promise<DeliveryOutcome> {
  let outcome;
  try {
    outcome = await sender.send(d.address, message);
  } catch (err) {
    outcome = { kind: 'error' as const, message: err instanceof Error ? err.message : String(err) };
  }
  switch (outcome.kind) {
    case 'sent':
      return { result: { status: 'sent', messageId: outcome.messageId } };
    case 'blocked':
      await ctx.audience.markUnreachable(d.customerId, d.channel, ctx.clock.now());
      return { result: { status: 'blocked', error: 'the platform refuses this recipient' } };
    case 'retry': {
      const until = ctx.clock.now().getTime() + Math.max(1, outcome.afterSeconds) * 1000;
      return { result: { status: 'pending', retryAt: new Date(until), error: 'rate limited' }, pauseUntil: until };
    }
    case 'error': {
      if (d.attempts >= ctx.maxAttempts) return { result: { status: 'failed', error: outcome.message.slice(0, 200) } };
      const backoff = Math.min(300_000, 2 ** d.attempts * 1000);
      return { result: { status: 'pending', retryAt: new Date(ctx.clock.now().getTime() + backoff), error: outcome.message.slice(0, 200) } };
    }
  }
}
