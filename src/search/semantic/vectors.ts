import { createHash } from 'node:crypto';

/** Cosine similarity; 0 when the lengths differ or a vector is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

const MAX_TEXT = 4000;

/** The text a product is embedded from: title, description and tags. */
export function embeddingText(p: { title: string; description: string; tags: string[] }): string {
  return [p.title, p.description, p.tags.join(', ')].filter(Boolean).join('\n').slice(0, MAX_TEXT);
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
