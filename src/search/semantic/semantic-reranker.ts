import type { ProductRecord } from '../../catalog/catalog.types.ts';
import { Deadline } from '../../shared/deadline.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ProductEmbeddingStore, SearchReranker, TextEmbedder } from './semantic.ports.ts';
import { cosine } from './vectors.ts';

export interface SemanticRerankerOptions {
  /** Budget for the query embedding; past it the full-text order stands. */
  timeoutMs: number;
  /** How many of the top full-text results are reordered. */
  window?: number | undefined;
  /** Query vectors kept (least recently used dropped first). */
  cacheSize?: number | undefined;
  /** After a failure, skip the model for this long so a down API adds no latency. */
  cooldownMs?: number | undefined;
}

/**
 * Reorders the top full-text results by cosine similarity between the query
 * and the stored product embeddings (filled by the embedding job, never on
 * this path). Products without a vector keep their places; any failure
 * keeps the full-text order.
 */
export class SemanticReranker implements SearchReranker {
  private readonly cache = new Map<string, Float32Array>();
  private pausedUntil = 0;
  private readonly window: number;
  private readonly cacheSize: number;
  private readonly cooldownMs: number;

  constructor(
    private readonly embedder: TextEmbedder,
    private readonly store: ProductEmbeddingStore,
    private readonly log: Logger,
    private readonly opts: SemanticRerankerOptions,
  ) {
    this.window = opts.window ?? 30;
    this.cacheSize = opts.cacheSize ?? 500;
    this.cooldownMs = opts.cooldownMs ?? 30_000;
  }

  async rerank(storeId: string, q: string, items: ProductRecord[]): Promise<ProductRecord[]> {
    const query = q.trim().toLowerCase().replace(/\s+/g, ' ');
    if (items.length < 2 || !query) return items;
    const head = items.slice(0, this.window);
    try {
      const vectors = await this.store.vectors(storeId, head.map((p) => p.id), this.embedder.model);
      if (vectors.size < 2) return items;
      const qv = await this.queryVector(query);
      if (!qv) return items;
      // Embedded products are sorted among the slots they held; the others stay put.
      const slots = head.flatMap((p, i) => (vectors.has(p.id) ? [i] : []));
      const ranked = slots
        .map((i, order) => ({ p: head[i], score: cosine(qv, vectors.get(head[i]?.id ?? '') ?? new Float32Array()), order }))
        .sort((a, b) => b.score - a.score || a.order - b.order);
      const out = [...head];
      slots.forEach((slot, k) => {
        const p = ranked[k]?.p;
        if (p) out[slot] = p;
      });
      return [...out, ...items.slice(this.window)];
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'semantic re-ranking failed; full-text order kept');
      return items;
    }
  }

  private async queryVector(query: string): Promise<Float32Array | null> {
    const cached = this.cache.get(query);
    if (cached) {
      this.cache.delete(query);
      this.cache.set(query, cached);
      return cached;
    }
    if (Date.now() < this.pausedUntil) return null;
    const deadline = new Deadline(this.opts.timeoutMs);
    try {
      const [v] = await deadline.race(this.embedder.embed([query], { signal: deadline.signal, retries: 0 }));
      if (!v) return null;
      this.cache.set(query, v);
      if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value ?? '');
      return v;
    } catch (err) {
      this.pausedUntil = Date.now() + this.cooldownMs;
      throw err;
    } finally {
      deadline.dispose();
    }
  }
}
