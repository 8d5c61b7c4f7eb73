import type { SearchVocabulary } from './search.ports.ts';
import { synonymWords } from './query-prep.ts';
import { WordIndex } from './word-index.ts';

export interface CachedVocabulary {
  vocabulary: SearchVocabulary;
  /** The vocabulary's words plus the synonym table's, for typo correction. */
  index: WordIndex;
}

interface Entry {
  value: CachedVocabulary;
  loadedAt: number;
  refreshing?: Promise<void> | undefined;
}

/** How long a store's vocabulary is served before it is rebuilt. */
export const VOCABULARY_TTL_MS = 30_000;

/**
 * Per-store vocabulary kept in memory for a short time. It is derived data:
 * any instance can rebuild it. A stale entry is served while one rebuild runs
 * in the background, so no shopper waits for it after the first request.
 */
export class VocabularyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<CachedVocabulary>>();

  constructor(
    private readonly load: (storeId: string) => Promise<SearchVocabulary>,
    private readonly ttlMs = VOCABULARY_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async get(storeId: string): Promise<CachedVocabulary> {
    const entry = this.entries.get(storeId);
    if (!entry) return this.loadOnce(storeId);
    if (this.now() - entry.loadedAt >= this.ttlMs && !entry.refreshing) {
      entry.refreshing = this.loadOnce(storeId).then(
        () => undefined,
        () => {
          entry.refreshing = undefined; // keep serving the old one; try again next time
        },
      );
    }
    return entry.value;
  }

  private loadOnce(storeId: string): Promise<CachedVocabulary> {
    const pending = this.loading.get(storeId);
    if (pending) return pending;
    const started = this.now();
    const p = this.load(storeId)
      .then((vocabulary) => {
        const value = { vocabulary, index: new WordIndex([...vocabulary.words, ...synonymWords]) };
        this.entries.set(storeId, { value, loadedAt: started });
        return value;
      })
      .finally(() => this.loading.delete(storeId));
    this.loading.set(storeId, p);
    return p;
  }
}

/** Distinct words of some texts, most frequent (by number of texts holding them) first. */
export function wordsByFrequency(texts: Iterable<readonly string[]>, max = 50_000): string[] {
  const counter = new WordCounter();
  for (const words of texts) counter.add(words);
  return counter.top(max);
}

/** Counts, for each word, the texts holding it; texts are added one at a time, so a caller can pause between chunks. */
export class WordCounter {
  private readonly counts = new Map<string, number>();
  /** The last text each word was counted for: a word repeated within a text counts once. */
  private readonly lastText = new Map<string, number>();
  private texts = 0;

  add(words: readonly string[]): void {
    const text = this.texts++;
    for (const w of words) {
      if (this.lastText.get(w) === text) continue;
      this.lastText.set(w, text);
      this.counts.set(w, (this.counts.get(w) ?? 0) + 1);
    }
  }

  /** The `max` most frequent words, most frequent first; equally frequent ones in code unit order. */
  top(max = 50_000): string[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, max)
      .map(([w]) => w);
  }
}
