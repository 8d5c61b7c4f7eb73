import type { Logger } from '../../shared/logger.ts';
import type { EmbeddingCandidate, ProductEmbeddingStore, TextEmbedder } from './semantic.ports.ts';
import { embeddingText, textHash } from './vectors.ts';

export interface EmbeddingIndexerOptions {
  /** Texts per embeddings request. */
  batchSize?: number | undefined;
  /** Products read per database page. */
  scanPage?: number | undefined;
  /** Requests per run at most; the rest waits for the next run. */
  maxBatchesPerRun?: number | undefined;
  /** Budget of one embeddings request (a batch may take longer than a query). */
  requestTimeoutMs?: number | undefined;
  /** A full scan at least this often, whatever the watermark says (clock skew between instances). */
  fullScanEveryMs?: number | undefined;
}

export interface IndexRun {
  scanned: number;
  embedded: number;
  requests: number;
}

/** Margin for products written while a scan runs. */
const SKEW_MS = 5_000;

/**
 * The background job that keeps ProductEmbedding in step with the catalog:
 * active products whose text (title, description, tags) changed since they
 * were embedded — or never were — are embedded in batches. Unchanged products
 * cost no request. Runs from the job runner, never on a shopper's request.
 */
export class EmbeddingIndexer {
  private changedSince: Date | null = null;
  private lastFullScan = 0;
  private readonly batchSize: number;
  private readonly scanPage: number;
  private readonly maxBatches: number;

  constructor(
    private readonly embedder: TextEmbedder,
    private readonly store: ProductEmbeddingStore,
    private readonly log: Logger,
    private readonly opts: EmbeddingIndexerOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 64;
    this.scanPage = opts.scanPage ?? 500;
    this.maxBatches = opts.maxBatchesPerRun ?? 20;
  }

  async run(): Promise<IndexRun> {
    const startedAt = Date.now();
    const full = this.changedSince === null || startedAt - this.lastFullScan > (this.opts.fullScanEveryMs ?? 15 * 60_000);
    const since = full ? null : this.changedSince;
    const stats: IndexRun = { scanned: 0, embedded: 0, requests: 0 };
    const pending: { c: EmbeddingCandidate; text: string; hash: string }[] = [];
    let afterId: string | null = null;
    let complete = true;
    for (;;) {
      const page = await this.store.candidates({ changedSince: since, afterId, limit: this.scanPage });
      stats.scanned += page.length;
      for (const c of page) {
        const text = embeddingText(c);
        const hash = textHash(text);
        if (c.embedded?.textHash !== hash || c.embedded.model !== this.embedder.model) pending.push({ c, text, hash });
      }
      while (pending.length >= this.batchSize && stats.requests < this.maxBatches) await this.embed(pending.splice(0, this.batchSize), stats);
      if (page.length < this.scanPage) break;
      if (stats.requests >= this.maxBatches) {
        complete = false;
        break;
      }
      afterId = page.at(-1)?.productId ?? null;
    }
    if (pending.length && stats.requests < this.maxBatches) await this.embed(pending.splice(0), stats);
    if (pending.length) complete = false;
    // Only a run that embedded everything moves the watermark on.
    if (complete) {
      this.changedSince = new Date(startedAt - SKEW_MS);
      if (full) this.lastFullScan = startedAt;
    }
    if (stats.embedded) this.log.info({ ...stats, complete }, 'product embeddings updated');
    return stats;
  }

  private async embed(batch: { c: EmbeddingCandidate; text: string; hash: string }[], stats: IndexRun): Promise<void> {
    stats.requests++;
    const vectors = await this.embedder.embed(
      batch.map((b) => b.text),
      { timeoutMs: this.opts.requestTimeoutMs ?? 30_000 },
    );
    if (vectors.length !== batch.length) throw new Error(`expected ${batch.length} embeddings, got ${vectors.length}`);
    await this.store.save(
      batch.flatMap((b, i) => {
        const vector = vectors[i];
        return vector ? [{ productId: b.c.productId, storeId: b.c.storeId, model: this.embedder.model, vector, textHash: b.hash }] : [];
      }),
    );
    stats.embedded += batch.length;
  }
}
