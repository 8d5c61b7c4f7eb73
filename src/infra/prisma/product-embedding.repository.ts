import type { Db } from '../db/client.ts';
import type { EmbeddingCandidate, ProductEmbeddingStore } from '../../search/semantic/semantic.ports.ts';

/** Float32 little-endian, as the column is documented (whatever the host's byte order). */
export function encodeVector(v: Float32Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(v.length * 4);
  const view = new DataView(bytes.buffer);
  v.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return bytes;
}

export function decodeVector(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(Math.floor(bytes.byteLength / 4));
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export class PrismaProductEmbeddingStore implements ProductEmbeddingStore {
  constructor(private readonly db: Db) {}

  async candidates(opts: { changedSince: Date | null; afterId: string | null; limit: number }): Promise<EmbeddingCandidate[]> {
    const rows = await this.db.product.findMany({
      where: {
        status: 'active',
        ...(opts.changedSince && { updatedAt: { gte: opts.changedSince } }),
        ...(opts.afterId && { id: { gt: opts.afterId } }),
      },
      orderBy: { id: 'asc' },
      take: opts.limit,
      select: { id: true, storeId: true, title: true, description: true, tags: true, embedding: { select: { textHash: true, model: true } } },
    });
    return rows.map((r) => ({
      productId: r.id,
      storeId: r.storeId,
      title: r.title,
      description: r.description,
      tags: Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === 'string') : [],
      embedded: r.embedding,
    }));
  }

  async save(rows: { productId: string; storeId: string; model: string; vector: Float32Array; textHash: string }[]): Promise<void> {
    const upsert = (r: (typeof rows)[number]) => {
      const data = { storeId: r.storeId, model: r.model, vector: encodeVector(r.vector), textHash: r.textHash };
      return this.db.productEmbedding.upsert({ where: { productId: r.productId }, create: { productId: r.productId, ...data }, update: data });
    };
    try {
      await this.db.$transaction(rows.map(upsert));
    } catch {
      // A product deleted meanwhile fails the batch: save the others one by one.
      const results = await Promise.allSettled(rows.map(upsert));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed && results.every((r) => r.status === 'rejected')) throw failed.reason;
    }
  }

  async vectors(storeId: string, productIds: string[], model: string): Promise<Map<string, Float32Array>> {
    if (productIds.length === 0) return new Map();
    const rows = await this.db.productEmbedding.findMany({ where: { storeId, model, productId: { in: productIds } }, select: { productId: true, vector: true } });
    return new Map(rows.map((r) => [r.productId, decodeVector(r.vector)]));
  }
}
