import type { Logger } from '../shared/logger.ts';
import type { Clock } from '../shared/time.ts';
import {
  analyticsEventTypes,
  type AnalyticsEvent,
  type AnalyticsEventRow,
  type AnalyticsRepository,
  type Funnel,
  type ZeroResultSearch,
} from './analytics.ports.ts';

export interface AnalyticsOptions {
  /** Events written per createMany; reaching it also triggers a flush. Default 100. */
  batchSize?: number | undefined;
  /** Longest an event waits in the buffer before it is written. Default 1000 ms. */
  flushIntervalMs?: number | undefined;
  /** Events held at most (buffered or waiting for a slow database); more are dropped, counted in the log. Default 5000. */
  maxBuffered?: number | undefined;
}

const MAX_QUERY_LENGTH = 200;
const MAX_ID_LENGTH = 200;
const MAX_DATA_CHARS = 2000;

/** Trimmed, lower-case, single-spaced: "Red  Hoodie " and "red hoodie" count as one query. */
export function normalizeQuery(q: string): string {
  return q.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, MAX_QUERY_LENGTH);
}

/**
 * Shopper events for analytics and recommendations.
 *
 * `record()` is synchronous and never throws: the event goes into a small
 * in-process buffer that is written with one createMany per batch, when the
 * batch is full or `flushIntervalMs` after the first buffered event, and on
 * `close()`. So recording adds no database round trip to a shopper's request,
 * and a failing database costs analytics rows (logged), never a reply. The
 * price: events of the last second are lost if the process dies hard, and
 * reads (funnel, personal picks) see an event once it is flushed.
 */
export class AnalyticsService {
  private buffer: AnalyticsEventRow[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();
  private dropped = 0;
  /** Recorded but not yet written (buffered, or in a batch waiting for the database). */
  private pending = 0;
  private closed = false;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;

  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: AnalyticsOptions = {},
  ) {
    this.batchSize = Math.max(1, opts.batchSize ?? 100);
    this.flushIntervalMs = Math.max(0, opts.flushIntervalMs ?? 1000);
    this.maxBuffered = Math.max(this.batchSize, opts.maxBuffered ?? 5000);
  }

  /** Records one event without waiting for the database. Never throws. */
  record(event: AnalyticsEvent): void {
    try {
      if (this.closed) {
        this.log.warn({ type: event.type }, 'analytics event after close ignored');
        return;
      }
      const row = this.toRow(event);
      if (!row) return;
      if (this.pending >= this.maxBuffered) {
        if (this.dropped++ % 1000 === 0) this.log.warn({ dropped: this.dropped }, 'analytics buffer full; events dropped');
        return;
      }
      this.buffer.push(row);
      this.pending++;
      if (this.buffer.length >= this.batchSize) void this.flush();
      else this.timer ??= unref(setTimeout(() => void this.flush(), this.flushIntervalMs));
    } catch (err) {
      this.log.error({ err }, 'analytics event not recorded');
    }
  }

  /** Writes everything buffered so far; resolves when it is written (or logged as failed). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rows = this.buffer;
    this.buffer = [];
    // Writes run one after another, so batches land in the order they were recorded.
    this.writing = this.writing.then(() => this.write(rows));
    return this.writing;
  }

  /** Flushes what is buffered; call before the database disconnects. */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  /** Searches that found nothing since `since`, most frequent first. */
  zeroResultSearches(storeId: string, since: Date, limit = 20): Promise<ZeroResultSearch[]> {
    return this.repo.zeroResultSearches(storeId, since, Math.min(Math.max(1, limit), 500));
  }

  /** Views → add to cart → checkouts started → orders paid, since `since`. */
  funnel(storeId: string, since: Date): Promise<Funnel> {
    return this.repo.funnel(storeId, since);
  }

  private async write(rows: AnalyticsEventRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += this.batchSize) {
      const batch = rows.slice(i, i + this.batchSize);
      try {
        await this.repo.insertMany(batch);
      } catch (err) {
        this.log.error({ err, events: batch.length }, 'analytics events not written');
      } finally {
        this.pending -= batch.length;
      }
    }
  }

  private toRow(e: AnalyticsEvent): AnalyticsEventRow | null {
    if (!(analyticsEventTypes as readonly string[]).includes(e.type) || !e.storeId) {
      this.log.warn({ type: e.type }, 'analytics event of unknown type or without store ignored');
      return null;
    }
    const data = e.data && JSON.stringify(e.data).length <= MAX_DATA_CHARS ? e.data : null;
    if (e.data && !data) this.log.warn({ type: e.type }, 'analytics event data too large; kept without it');
    return {
      storeId: e.storeId,
      type: e.type,
      customerId: id(e.customerId),
      sessionKey: id(e.sessionKey),
      productId: 'productId' in e ? id(e.productId) : null,
      variantId: 'variantId' in e ? id(e.variantId) : null,
      orderId: 'orderId' in e ? id(e.orderId) : null,
      query: e.type === 'search' && typeof e.query === 'string' ? normalizeQuery(e.query) : null,
      resultCount: e.type === 'search' ? count(e.resultCount) : null,
      channel: id(e.channel),
      data,
      createdAt: this.clock.now(),
    };
  }
}

// Callers may be plain JavaScript: a bad value must not fail the whole batch it is written with.
const id = (v: unknown): string | null => (typeof v === 'string' && v ? v.slice(0, MAX_ID_LENGTH) : null);
const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? Math.min(Math.max(0, Math.trunc(n)), 2 ** 31 - 1) : 0);

/** A pending flush must not keep the process alive. */
function unref(t: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  t.unref();
  return t;
}
