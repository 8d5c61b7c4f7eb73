import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { deliverBroadcast, type DeliveryContext } from '../../marketing/broadcast-delivery.ts';
import type { QueuedBroadcastRepository } from '../../marketing/broadcast-queue.ports.ts';
import type { MessageBuilder, RunnerOptions } from '../../marketing/broadcast-runner.ts';
import type { AudienceState, MarketingSender } from '../../marketing/broadcast.ports.ts';
import type { BroadcastMessage, BroadcastRecord, ClaimedDelivery } from '../../marketing/broadcast.types.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Clock } from '../../shared/time.ts';

export interface BullmqRunnerOptions extends Omit<RunnerOptions, 'tickMs'> {
  connection: ConnectionOptions;
  /** BullMQ key prefix (tests use one each). */
  prefix?: string | undefined;
  /** Deliveries kept queued ahead, in seconds of sending (default 2). */
  aheadSeconds?: number | undefined;
  /** How often a worker looks for jobs of a dead worker (ms; BullMQ's default 30 s). */
  stalledIntervalMs?: number | undefined;
  /** How long a job stays locked to its worker without a renewal (ms; BullMQ's default 30 s): a dead worker's job is retried after it. */
  lockDurationMs?: number | undefined;
}

/** Jobs in flight per worker, in seconds of sending: each claims its row, then waits for its slot in the send window. */
const CONCURRENCY_SECONDS = 0.5;

/** A delivery this instance queued is not queued again for this long (ms) unless its job ran (BullMQ ignores a job id it holds anyway). */
const FED_TTL_MS = 10_000;

/** A built message is reused this long (a broadcast's sends share it). */
const MESSAGE_TTL_MS = 5000;

/**
 * Broadcast delivery through BullMQ (REDIS_URL): one queue per channel whose
 * jobs are delivery ids, shared by every instance. Each instance's tick feeds
 * due pending deliveries in (job id = delivery id, so two feeders add one
 * job); its worker takes jobs (paced by the send window, not a BullMQ limiter) and, per job,
 * claims the delivery row (pending → sending) before anything goes out, so
 * a job run twice (a dead worker's stalled job) never sends twice: the row,
 * not the queue, is the source of truth. Consent, quiet hours and the cap are
 * checked right before each send, as in the embedded runner, whose delivery
 * step this reuses; the senders given book each send in the shared per-bot
 * window, where a 429 pauses every instance.
 */
export class BullmqBroadcastRunner {
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly messages = new Map<string, { at: number; message: Promise<BroadcastMessage | null> }>();
  private readonly ctx: DeliveryContext;
  private readonly leaseMs: number;
  private sent = 0;
  /** Deliveries this instance queued lately (by id, when): not added again while their job may still be waiting. */
  private readonly fed = new Map<string, number>();

  constructor(
    private readonly repo: QueuedBroadcastRepository,
    audience: AudienceState,
    private readonly senders: readonly MarketingSender[],
    private readonly buildMessage: MessageBuilder,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: BullmqRunnerOptions,
    private readonly onDone: (b: BroadcastRecord) => Promise<void> = async () => {},
  ) {
    this.ctx = { repo, audience, clock, rules: opts.rules, maxAttempts: opts.maxAttempts ?? 5 };
    this.leaseMs = opts.leaseMs ?? 60_000;
    const prefix = opts.prefix ?? 'chatshop:bull';
    for (const sender of senders) {
      const name = `broadcast-${sender.channel}`;
      const queue = new Queue<{ id: string }>(name, { connection: opts.connection, prefix });
      queue.on('error', (err) => this.log.warn({ err: { message: err.message }, queue: name }, 'broadcast queue error'));
      this.queues.set(sender.channel, queue);
      const worker: Worker<{ id: string }> = new Worker<{ id: string }>(name, (job) => this.process(sender, job), {
        connection: opts.connection,
        prefix,
        // No BullMQ limiter: the send window alone paces, counting only real sends (a skipped or blocked
        // recipient costs no slot). Enough jobs in flight that a slot never waits for a job (see CONCURRENCY_SECONDS).
        concurrency: Math.max(2, Math.ceil(sender.perSecond * CONCURRENCY_SECONDS)),
        stalledInterval: opts.stalledIntervalMs ?? 30_000,
        lockDuration: opts.lockDurationMs ?? 30_000,
        removeOnComplete: { count: 0 },
        removeOnFail: { count: 0 },
      });
      worker.on('error', (err) => this.log.warn({ err: { message: err.message }, queue: name }, 'broadcast worker error'));
      this.workers.push(worker);
    }
  }

  /** Starts due broadcasts, expires interrupted sends, feeds the queues, closes finished broadcasts; returns sends since the last tick. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    await this.repo.startDue(now);
    const interrupted = await this.repo.expireLeases(now);
    if (interrupted) this.log.warn({ interrupted }, 'broadcast deliveries interrupted mid-send; not sent again');
    for (const sender of this.senders) await this.feed(sender, now);
    for (const b of await this.repo.completeFinished(this.clock.now())) {
      this.log.info({ broadcast: b.id, sent: b.sent, failed: b.failed, blocked: b.blocked, skipped: b.skipped }, 'broadcast finished');
      await this.onDone(b).catch((err: unknown) => this.log.warn({ err, broadcast: b.id }, 'broadcast completion hook failed'));
    }
    const sent = this.sent;
    this.sent = 0;
    return sent;
  }

  /** Stops taking jobs (waiting for the sends in flight unless `force`) and closes the queues. */
  async close(force = false): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close(force)));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  /** Tops the channel's queue up to `aheadSeconds` of sends; job ids are delivery ids, so a delivery already queued is not added again. */
  private async feed(sender: MarketingSender, now: Date) {
    const queue = this.queues.get(sender.channel);
    if (!queue) return;
    const ahead = Math.ceil(sender.perSecond * (this.opts.aheadSeconds ?? 2));
    const waiting = await queue.getWaitingCount();
    if (waiting >= ahead) return;
    // The due list starts with what is already queued (still pending): only the rest is added, not the whole list again each tick.
    const ms = now.getTime();
    for (const [id, at] of this.fed) if (ms - at > FED_TTL_MS) this.fed.delete(id);
    const ids = (await this.repo.due(sender.channel, now, waiting + ahead * 2)).filter((id) => !this.fed.has(id)).slice(0, ahead * 2 - waiting);
    for (const id of ids) this.fed.set(id, ms);
    if (ids.length) await queue.addBulk(ids.map((id) => ({ name: 'deliver', data: { id }, opts: { jobId: id } })));
  }

  private async process(sender: MarketingSender, job: Job<{ id: string }>): Promise<void> {
    const now = this.clock.now();
    this.fed.delete(job.data.id);
    const d = await this.repo.claimById(job.data.id, now, new Date(now.getTime() + this.leaseMs));
    if (!d) return; // sent, claimed by another worker, not due yet, or cancelled
    const { result, pauseUntil } = await deliverBroadcast(this.ctx, sender, d, await this.messageOf(d));
    // The send window already paused every instance's sends on this channel; the delivery is due again after it.
    if (pauseUntil !== undefined) this.log.warn({ channel: sender.channel, retryAfter: Math.round((pauseUntil - this.clock.now().getTime()) / 1000) }, 'marketing sends paused by the platform');
    await this.repo.finish(d, result, this.clock.now());
    if (result.status === 'sent') this.sent++;
  }

  private messageOf(d: ClaimedDelivery): Promise<BroadcastMessage | null> {
    const now = Date.now();
    const cached = this.messages.get(d.broadcastId);
    if (cached && now - cached.at < MESSAGE_TTL_MS) return cached.message;
    const message = this.buildMessage({ id: d.broadcastId, storeId: d.storeId });
    this.messages.set(d.broadcastId, { at: now, message });
    for (const [id, m] of this.messages) if (now - m.at >= MESSAGE_TTL_MS) this.messages.delete(id);
    return message;
  }
}
