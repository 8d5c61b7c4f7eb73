import type { ProductRecord } from '../../catalog/catalog.types.ts';

/** Turns texts into vectors (OpenAI embeddings in src/infra/openai). */
export interface TextEmbedder {
  /** The embedding model; stored with each vector so a model change re-embeds. */
  readonly model: string;
  /** One vector per text, in order. Rejects on failure. */
  embed(texts: string[], opts?: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined; retries?: number | undefined }): Promise<Float32Array[]>;
}

/** An active product as the embedding job sees it, with what is stored for it. */
export interface EmbeddingCandidate {
  productId: string;
  storeId: string;
  title: string;
  description: string;
  tags: string[];
  embedded: { textHash: string; model: string } | null;
}

export interface ProductEmbeddingStore {
  /** Active products in id order after `afterId`, changed at or after `changedSince` (all when null). */
  candidates(opts: { changedSince: Date | null; afterId: string | null; limit: number }): Promise<EmbeddingCandidate[]>;
  save(rows: { productId: string; storeId: string; model: string; vector: Float32Array; textHash: string }[]): Promise<void>;
  /** Stored vectors of these products for `model`; products without one are absent. */
  vectors(storeId: string, productIds: string[], model: string): Promise<Map<string, Float32Array>>;
}

/** Reorders a page of full-text results; must return the same products and never throw. */
export interface SearchReranker {
  rerank(storeId: string, q: string, items: ProductRecord[]): Promise<ProductRecord[]>;
}
