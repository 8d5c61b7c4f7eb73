import { fail, ok, type Result } from '../shared/errors.ts';

export const deliverableKinds = ['file', 'text', 'license_key'] as const;
export type DeliverableKindName = (typeof deliverableKinds)[number];

/** What a product hands over once paid. License keys come from the deliverable's own pool. */
export interface DeliverableRecord {
  id: string;
  productId: string;
  kind: DeliverableKindName;
  label: string;
  /** File URL or text; null for license keys. */
  content: string | null;
  position: number;
  /** License keys only: free and handed-out keys in the pool. */
  keys: { available: number; assigned: number } | null;
}

export type NewDeliverable =
  | { kind: 'file'; label?: string | undefined; url: string }
  | { kind: 'text'; label?: string | undefined; text: string }
  | { kind: 'license_key'; label?: string | undefined };

export interface DeliverableRepository {
  list(storeId: string, productId: string): Promise<DeliverableRecord[]>;
  create(storeId: string, productId: string, d: { kind: DeliverableKindName; label: string; content: string | null }): Promise<DeliverableRecord>;
  remove(storeId: string, productId: string, id: string): Promise<boolean>;
  /** Adds keys to a pool; keys already in it are skipped and counted. */
  addKeys(deliverableId: string, keys: readonly string[]): Promise<{ added: number; duplicates: number }>;
}

export const MAX_KEYS_PER_REQUEST = 10_000;
const MAX_KEY_LENGTH = 500;
export const MAX_DELIVERABLE_TEXT = 3_500;

/** A new deliverable checked and reduced to what is stored. */
export function prepareDeliverable(d: NewDeliverable): Result<{ kind: DeliverableKindName; label: string; content: string | null }> {
  const label = (d.label ?? '').trim().slice(0, 100);
  switch (d.kind) {
    case 'file': {
      const url = d.url.trim();
      if (!/^https?:\/\/\S+$/i.test(url) || url.length > 2000) return fail('BAD_REQUEST', 'A file deliverable needs an http(s) URL of at most 2000 characters');
      return ok({ kind: 'file', label, content: url });
    }
    case 'text': {
      const text = d.text.trim();
      if (!text || text.length > MAX_DELIVERABLE_TEXT) return fail('BAD_REQUEST', `A text deliverable needs 1–${MAX_DELIVERABLE_TEXT} characters of text`);
      return ok({ kind: 'text', label, content: text });
    }
    case 'license_key':
      return ok({ kind: 'license_key', label, content: null });
  }
}

/**
 * Keys from a bulk upload: trimmed, blank lines dropped, repeats within the
 * upload merged. A key that is too long is refused with its line number, so
 * nothing is half-imported.
 */
export function prepareKeys(raw: readonly string[]): Result<{ keys: string[]; repeated: number }> {
  if (raw.length > MAX_KEYS_PER_REQUEST) return fail('BAD_REQUEST', `At most ${MAX_KEYS_PER_REQUEST} keys per request`);
  const seen = new Set<string>();
  let repeated = 0;
  for (const [i, k] of raw.entries()) {
    const key = k.trim();
    if (!key) continue;
    if (key.length > MAX_KEY_LENGTH) return fail('BAD_REQUEST', `Key ${i + 1} is longer than ${MAX_KEY_LENGTH} characters`, { index: i });
    if (seen.has(key)) repeated++;
    else seen.add(key);
  }
  if (seen.size === 0) return fail('BAD_REQUEST', 'No keys given');
  return ok({ keys: [...seen], repeated });
}
