import type { Logger } from '../shared/logger.ts';
import type { Clock } from '../shared/time.ts';
import type { AudienceState, BroadcastRepository, MarketingSender } from './broadcast.ports.ts';
import type { BroadcastMessage, BroadcastRecord, ClaimedDelivery, DeliveryResult } from './broadcast.types.ts';
import { gateDelivery, sendChecked, type DeliveryContext } from './broadcast-delivery.ts';
import type { StoreMessagingRules } from './consent-gate.ts';

export interface RunnerOptions {
  /** Rules every store's marketing follows (quiet hours, time zone, frequency cap). */
  rules: StoreMessagingRules;
  /** Transient errors are retried this many times in all. */
  maxAttempts?: number | undefined;
  /** How long a claimed delivery may take before it counts as interrupted. */
  leaseMs?: number | undefined;
  /** Longest one tick sends for, per channel (default 5 s: the schedule runs on between ticks, so run ticks often). */
  tickMs?: number | undefined;
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** Sends into one channel are never closer than this share of the interval (catching up after a gap). */
const MIN_SPACING = 0.5;

/** Builds the message for a broadcast once per tick (text, image, product card). */
export type MessageBuilder = (broadcast: { id: string; storeId: string }) => Promise<BroadcastMessage | null>;

/**
 * Sends planned broadcast deliveries, paced per channel below the platform's
 * limit. Every delivery is claimed (status `sending`) before its message goes
 * out and finished after, so a crash never sends anyone a broadcast twice; a
 * 429 pauses that channel for retry_after and puts the delivery back; an
 * opt-out, a block or quiet hours are checked right before each send.
 */
export class BroadcastRunner {
  private readonly pausedUntil = new Map<string, number>();
  /** Each channel's latest send start times, at most `perSecond` of them (its pacing window, kept across ticks). */
  private readonly starts = new Map<string, number[]>();
  /** Each channel's schedule: when its next send is due, one interval after the last one's due time. */
  private readonly schedule = new Map<string, number>();
  private readonly leaseMs: number;
  private readonly tickMs: number;
  private readonly ctx: DeliveryContext;

  constructor(
    private readonly repo: BroadcastRepository,
    audience: AudienceState,
    private readonly senders: readonly MarketingSender[],
    private readonly buildMessage: MessageBuilder,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: RunnerOptions,
    /** Waits (tests pass a fake clock's sleep). */
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly onDone: (b: BroadcastRecord) => Promise<void> = async () => {},
  ) {
    this.ctx = { repo, audience, clock, rules: opts.rules, maxAttempts: opts.maxAttempts ?? 5 };
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.tickMs = opts.tickMs ?? 5000;
  }

  /** One round: start due broadcasts, expire interrupted sends, send a tick's worth per channel, close finished ones. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    await this.repo.startDue(now);
    const interrupted = await this.repo.expireLeases(now);
    if (interrupted) this.log.warn({ interrupted }, 'broadcast deliveries interrupted mid-send; not sent again');
    const sent = (await Promise.all(this.senders.map((s) => this.sendBatch(s)))).reduce((a, b) => a + b, 0);
    for (const b of await this.repo.completeFinished(this.clock.now())) {
      this.log.info({ broadcast: b.id, sent: b.sent, failed: b.failed, blocked: b.blocked, skipped: b.skipped }, 'broadcast finished');
      await this.onDone(b).catch((err: unknown) => this.log.warn({ err, broadcast: b.id }, 'broadcast completion hook failed'));
    }
    return sent;
  }

  /**
   * Sends this channel's due deliveries for up to `tickMs`, claiming only what
   * fits in what is left of the window. Pacing is a sliding window, as the
   * platform counts: at most `perSecond` sends start in any second, on a
   * schedule `1000 / perSecond` apart kept across ticks; after a gap between
   * ticks the schedule is caught up at twice the pace (never more than the
   * window allows), so the rate holds over a whole broadcast.
   */
  private async sendBatch(sender: MarketingSender): Promise<number> {
    const end = this.clock.now().getTime() + this.tickMs;
    const inFlight: Promise<boolean>[] = [];
    /** The first failure of a database call or send: the tick fails with it once the rest have finished (no rejection is left unheard meanwhile). */
    let failure: Error | undefined;
    const track = (p: Promise<boolean>) =>
      inFlight.push(
        p.catch((err: unknown) => {
          failure ??= asError(err);
          return false;
        }),
      );
    const messages = new Map<string, Promise<BroadcastMessage | null>>();
    const messageOf = (d: ClaimedDelivery) => {
      let m = messages.get(d.broadcastId);
      if (!m) messages.set(d.broadcastId, (m = this.buildMessage({ id: d.broadcastId, storeId: d.storeId })));
      return m;
    };
    for (;;) {
      const now = this.clock.now().getTime();
      if (this.pausedOn(sender.channel, now)) break;
      const room = Math.min(Math.ceil(sender.perSecond), Math.floor((end - this.nextSlot(sender, now)) * (sender.perSecond / 1000)));
      if (room <= 0) break;
      const batch = await this.repo.claim(sender.channel, new Date(now), room, new Date(now + this.leaseMs));
      if (batch.length === 0) break;
      // The gate for the whole batch (a second of sends at most) runs ahead of the slots: a recipient it
      // refuses takes no slot, and no database round trip sits between a send's slot and the platform call.
      const gated = batch.map((d) => ({
        d,
        gate: messageOf(d)
          .then((message) => gateDelivery(this.ctx, d, message))
          .catch((err: unknown) => {
            // Left claimed: its lease lapses and it is reported as interrupted, never sent twice.
            failure ??= asError(err);
            return null;
          }),
      }));
      for (const { d, gate } of gated) {
        const check = await gate;
        if (!check) continue;
        if (!check.send) {
          track(this.repo.finish(d, check.result, this.clock.now()).then(() => false));
          continue;
        }
        const wait = this.nextSlot(sender, this.clock.now().getTime()) - this.clock.now().getTime();
        if (wait > 0) await this.sleep(wait);
        const pause = this.pausedOn(sender.channel, this.clock.now().getTime());
        if (pause) {
          // A 429 arrived: the rest of the batch goes back, due when the pause ends.
          track(this.repo.finish(d, { status: 'pending', retryAt: new Date(pause), error: 'rate limited' }, this.clock.now()).then(() => false));
          continue;
        }
        this.started(sender, this.clock.now().getTime());
        // Sends run concurrently (a platform round trip is longer than the interval); each is finished as soon as it answers.
        track(
          this.send(sender, d, check.message).then(async (result) => {
            await this.repo.finish(d, result, this.clock.now());
            return result.status === 'sent';
          }),
        );
      }
    }
    const sent = (await Promise.all(inFlight)).filter(Boolean).length;
    if (failure) throw failure;
    return sent;
  }

  /** The earliest time the channel's next send may start: on its schedule, spaced, and within the window. */
  private nextSlot(sender: MarketingSender, now: number): number {
    const starts = this.starts.get(sender.channel) ?? [];
    const cap = Math.max(1, Math.floor(sender.perSecond));
    const last = starts.at(-1);
    const spaced = last === undefined ? now : last + (MIN_SPACING * 1000) / sender.perSecond;
    const windowFree = starts.length >= cap ? (starts[starts.length - cap] ?? 0) + 1000 : now;
    return Math.max(now, this.schedule.get(sender.channel) ?? now, spaced, windowFree);
  }

  /** Books a send started at `at`: the schedule moves one interval on (catching up at most a second behind). */
  private started(sender: MarketingSender, at: number) {
    const starts = this.starts.get(sender.channel) ?? [];
    starts.push(at);
    if (starts.length > Math.ceil(sender.perSecond)) starts.shift();
    this.starts.set(sender.channel, starts);
    const due = Math.max(this.schedule.get(sender.channel) ?? at, at - 1000);
    this.schedule.set(sender.channel, due + 1000 / sender.perSecond);
  }

  /** The end of the channel's 429 pause when it is still on, else 0. */
  private pausedOn(channel: string, now: number): number {
    const until = this.pausedUntil.get(channel) ?? 0;
    return until > now ? until : 0;
  }

  private async send(sender: MarketingSender, d: ClaimedDelivery, message: BroadcastMessage): Promise<DeliveryResult> {
    const { result, pauseUntil } = await sendChecked(this.ctx, sender, d, message);
    if (pauseUntil !== undefined) {
      this.pausedUntil.set(sender.channel, Math.max(pauseUntil, this.pausedUntil.get(sender.channel) ?? 0));
      this.log.warn({ channel: sender.channel, retryAfter: Math.round((pauseUntil - this.clock.now().getTime()) / 1000) }, 'marketing sends paused by the platform');
    }
    return result;
  }
}
