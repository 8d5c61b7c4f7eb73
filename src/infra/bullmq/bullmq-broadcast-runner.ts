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

/** A built message is reused this long (a broadcast's sends share it). */
const MESSAGE_TTL_MS = 5000;

/**
 * Broadcast delivery through BullMQ (REDIS_URL): one queue per channel whose
 * jobs are delivery ids, shared by every instance. Each instance's tick feeds
 * due pending deliveries in (job id = delivery id, so two feeders add one
 * job); its worker takes jobs under the queue's rate limit and, per job,
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
      const worker: Worker<{ id: string }> = new Worker<{ id: string }>(name, (job) => this.process(worker, sender, job), {
        connection: opts.connection,
        prefix,
        // Sends overlap (a round trip is longer than the interval); the limiter and the send window keep the pace.
        concurrency: Math.max(4, Math.ceil(sender.perSecond)),
        limiter: { max: Math.max(1, Math.ceil(sender.perSecond)), duration: 1000 },
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
    if ((await queue.getWaitingCount()) >= ahead) return;
    const ids = await this.repo.due(sender.channel, now, ahead * 2);
    if (ids.length) await queue.addBulk(ids.map((id) => ({ name: 'deliver', data: { id }, opts: { jobId: id } })));
  }

  private async process(worker: Worker, sender: MarketingSender, job: Job<{ id: string }>): Promise<void> {
    const now = this.clock.now();
    const d = await this.repo.claimById(job.data.id, now, new Date(now.getTime() + this.leaseMs));
    if (!d) return; // sent, claimed by another worker, not due yet, or cancelled
    const { result, pauseUntil } = await deliverBroadcast(this.ctx, sender, d, await this.messageOf(d));
    if (pauseUntil !== undefined) {
      const ms = pauseUntil - this.clock.now().getTime();
      this.log.warn({ channel: sender.channel, retryAfter: Math.round(ms / 1000) }, 'marketing sends paused by the platform');
      await worker.rateLimit(Math.max(1, ms)).catch(() => {});
    }
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
