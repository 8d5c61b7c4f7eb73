/**
 * Database-independent query preparation, the same for SQLite and
 * PostgreSQL: a shopper's text becomes terms that must all match, each a
 * list of alternatives (the word or its correction, and its synonyms).
 */
import { hasDigit, isNoSpaceScript, MAX_QUERY_WORDS, STOP_WORDS, wordsOf } from './query-text.ts';
import { oneWaySynonyms, synonymGroups } from './synonyms.ts';
import { correctionBudget, type WordIndex } from './word-index.ts';

export type TermAlternative =
  /** Consecutive words (a phrase when more than one); `prefix`: the last word may continue ("hood" finds "hoodie"). */
  | { kind: 'words'; words: string[]; prefix: boolean }
  /** Text in a script written without spaces (Chinese, Japanese, Thai…): found anywhere in the product's text. */
  | { kind: 'substring'; text: string };

export interface SearchTerm {
  /** What the shopper typed, normalised. */
  source: string;
  /** A product matches the term when any one alternative matches. */
  alternatives: TermAlternative[];
  /** False when the word is neither a catalog word, nor close to one, nor the start of one. */
  known: boolean;
}

export interface PreparedQuery {
  /** A product matches when it matches every term. */
  terms: SearchTerm[];
  /** Words replaced by their nearest catalog word, e.g. { hoddie: 'hoodie' }. */
  corrections: Record<string, string>;
}

const PREFIX_MIN = 4;
/** Longer "words" are pasted noise, not something a product is found by. */
const MAX_WORD_LENGTH = 64;
const synonymTable = buildSynonymTable();
const longestSynonymKey = Math.max(1, ...[...synonymTable.keys()].map((k) => k.split(' ').length));

/** Single words the synonym table knows: typo correction may land on them too. */
export const synonymWords: readonly string[] = [...synonymTable.keys()].filter((k) => !k.includes(' '));

export function prepareQuery(text: string, index: WordIndex): PreparedQuery {
  const all = wordsOf(text).filter((w) => w.length <= MAX_WORD_LENGTH);
  const content = all.filter((w) => !STOP_WORDS.has(w));
  const words = content.length > 0 ? content : all;
  const terms: SearchTerm[] = [];
  const corrections: Record<string, string> = {};
  const seen = new Set<string>();
  for (let i = 0; i < words.length && terms.length < MAX_QUERY_WORDS;) {
    const phrase = synonymPhraseAt(words, i);
    const source = phrase ?? words[i] ?? '';
    i += phrase ? phrase.split(' ').length : 1;
    if (seen.has(source)) continue;
    seen.add(source);
    terms.push(phrase ? { source, alternatives: synonymAlternatives(phrase), known: true } : resolveWord(source, index, corrections));
  }
  return { terms, corrections };
}

/** The query without its unknown words, when it has both kinds; a fallback when nothing matches all words. */
export function relaxQuery(q: PreparedQuery): PreparedQuery | undefined {
  const known = q.terms.filter((t) => t.known);
  return known.length > 0 && known.length < q.terms.length ? { ...q, terms: known } : undefined;
}

function resolveWord(word: string, index: WordIndex, corrections: Record<string, string>): SearchTerm {
  if (isNoSpaceScript(word)) return { source: word, alternatives: [{ kind: 'substring', text: word }], known: true };
  const r = resolve(word, index);
  if (r.word !== word) corrections[word] = r.word;
  const own: TermAlternative = { kind: 'words', words: [r.word], prefix: r.prefix };
  return { source: word, alternatives: dedupe([own, ...synonymAlternatives(r.word)]), known: r.known };
}

function resolve(word: string, index: WordIndex): { word: string; prefix: boolean; known: boolean } {
  if (index.has(word)) return { word, prefix: continues(word, index), known: true };
  if (hasDigit(word)) return { word, prefix: false, known: false };
  for (const singular of [word.replace(/es$/, ''), word.replace(/s$/, '')]) {
    if (singular !== word && singular.length >= 3 && index.has(singular))
      return { word: singular, prefix: continues(singular, index), known: true };
  }
  if (word.length >= 3 && index.isPrefix(word)) return { word, prefix: true, known: true };
  const nearest = index.nearest(word, correctionBudget(word));
  if (nearest !== undefined) return { word: nearest, prefix: continues(nearest, index), known: true };
  return { word, prefix: word.length >= PREFIX_MIN, known: false };
}

/**
 * Whether a catalog word of four letters or more should also find the longer
 * catalog words it begins ("grind" finds "grinder"). Only when there are
 * some: a prefix search costs more than a word search.
 */
function continues(word: string, index: WordIndex): boolean {
  return [...word].length >= PREFIX_MIN && !hasDigit(word) && index.isPrefix(word);
}

function synonymPhraseAt(words: readonly string[], start: number): string | undefined {
  for (let n = Math.min(longestSynonymKey, words.length - start); n >= 2; n--) {
    const key = words.slice(start, start + n).join(' ');
    if (synonymTable.has(key)) return key;
  }
  return undefined;
}

function synonymAlternatives(key: string): TermAlternative[] {
  const phrases = synonymTable.get(key) ?? [];
  return phrases.map((p) => ({ kind: 'words', words: p.split(' '), prefix: false }));
}

function dedupe(alternatives: TermAlternative[]): TermAlternative[] {
  const seen = new Set<string>();
  return alternatives.filter((a) => {
    const key = a.kind === 'words' ? `w:${a.words.join(' ')}` : `s:${a.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Normalised phrase → every phrase it also finds (itself first). */
function buildSynonymTable(): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const add = (key: string, phrases: string[]) => {
    const list = table.get(key) ?? [key];
    for (const p of phrases) if (!list.includes(p)) list.push(p);
    table.set(key, list);
  };
  const norm = (s: string) => wordsOf(s).join(' ');
  for (const group of synonymGroups) {
    const members = group.map(norm);
    for (const m of members) add(m, members);
  }
  for (const [key, values] of Object.entries(oneWaySynonyms)) add(norm(key), values.map(norm));
  return table;
}
