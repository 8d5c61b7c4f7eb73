/**
 * The catalog's words, for typo correction: membership, "is a prefix of a
 * catalog word", and the nearest word by Damerau–Levenshtein distance
 * (optimal string alignment: insert, delete, substitute, swap neighbours).
 */
export class WordIndex {
  private readonly rank = new Map<string, number>();
  private readonly sorted: string[];
  /** Words by length in code points, as code point arrays with their letter masks, most frequent first. */
  private readonly byLength = new Map<number, { word: string; codes: Uint32Array; mask: number }[]>();
  private readonly longest: number = 0;

  /** `words` most frequent first: on equal distance, the more common word wins. */
  constructor(words: readonly string[]) {
    for (const w of words) {
      if (this.rank.has(w)) continue;
      this.rank.set(w, this.rank.size);
      const codes = codePoints(w);
      const entry = { word: w, codes, mask: letterMask(codes) };
      const bucket = this.byLength.get(codes.length);
      if (bucket) bucket.push(entry);
      else this.byLength.set(codes.length, [entry]);
      this.longest = Math.max(this.longest, codes.length);
    }
    this.sorted = [...this.rank.keys()].sort();
  }

  has(word: string): boolean {
    return this.rank.has(word);
  }

  /** Whether some catalog word starts with `prefix` (and is longer than it). */
  isPrefix(prefix: string): boolean {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] ?? '') < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sorted.length; i++) {
      const w = this.sorted[i] ?? '';
      if (!w.startsWith(prefix)) return false;
      if (w.length > prefix.length) return true;
    }
    return false;
  }

  /** The closest catalog word within `maxDistance` (fewest edits, then most frequent), or undefined. */
  nearest(word: string, maxDistance: number): string | undefined {
    if (maxDistance < 1) return undefined;
    const a = codePoints(word);
    const mask = letterMask(a);
    const rows = new DistanceRows(Math.max(a.length, this.longest) + 1);
    let best: { word: string; distance: number; rank: number } | undefined;
    for (let len = a.length - maxDistance; len <= a.length + maxDistance; len++) {
      for (const candidate of this.byLength.get(len) ?? []) {
        const limit = best ? best.distance : maxDistance;
        // One edit changes at most two bits of the mask: a cheap lower bound that skips most words.
        if (bitCount(mask ^ candidate.mask) > 2 * limit) continue;
        const d = rows.bounded(a, candidate.codes, limit);
        if (d > limit) continue;
        const rank = this.rank.get(candidate.word) ?? Infinity;
        if (!best || d < best.distance || rank < best.rank) best = { word: candidate.word, distance: d, rank };
      }
    }
    return best?.word;
  }
}

/** How far a word may be corrected: never under 4 letters, 1 edit up to 7, 2 from 8. */
export function correctionBudget(word: string): number {
  const len = codePoints(word).length;
  if (len < 4) return 0;
  return len >= 8 ? 2 : 1;
}

/**
 * Damerau–Levenshtein (optimal string alignment) distance between `a` and
 * `b`, or `limit + 1` as soon as it is known to exceed `limit`.
 */
export function boundedDistance(a: readonly string[], b: readonly string[], limit: number): number {
  const codes = (xs: readonly string[]) => Uint32Array.from(xs, (c) => c.codePointAt(0) ?? 0);
  return new DistanceRows(Math.max(a.length, b.length) + 1).bounded(codes(a), codes(b), limit);
}

function codePoints(word: string): Uint32Array {
  return Uint32Array.from(word, (c) => c.codePointAt(0) ?? 0);
}

/**
 * Which characters a word holds, one bit per code point modulo 32 (a-z get
 * a bit each). An insertion or deletion changes at most one bit, a
 * substitution two, a swap none: words `d` edits apart differ in at most
 * 2·d bits.
 */
function letterMask(codes: Uint32Array): number {
  let mask = 0;
  for (const c of codes) mask |= 1 << (c & 31);
  return mask;
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Three reusable rows of the distance matrix, so a scan over thousands of words allocates nothing. */
class DistanceRows {
  private prev2: Int32Array;
  private prev: Int32Array;
  private cur: Int32Array;

  constructor(size: number) {
    this.prev2 = new Int32Array(size);
    this.prev = new Int32Array(size);
    this.cur = new Int32Array(size);
  }

  bounded(a: Uint32Array, b: Uint32Array, limit: number): number {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    const cols = b.length + 1;
    let { prev2, prev, cur } = this;
    for (let j = 0; j < cols; j++) prev[j] = j;
    for (let i = 1; i <= a.length; i++) {
      cur[0] = i;
      let rowMin = i;
      const ai = a[i - 1];
      for (let j = 1; j < cols; j++) {
        const bj = b[j - 1];
        let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
        if (i > 1 && j > 1 && ai === b[j - 2] && a[i - 2] === bj) d = Math.min(d, prev2[j - 2]! + 1);
        cur[j] = d;
        if (d < rowMin) rowMin = d;
      }
      if (rowMin > limit) return limit + 1;
      [prev2, prev, cur] = [prev, cur, prev2];
    }
    this.prev2 = prev2;
    this.prev = prev;
    this.cur = cur;
    return prev[b.length]!;
  }
}
