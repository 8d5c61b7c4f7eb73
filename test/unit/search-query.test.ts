import { describe, expect, it } from 'vitest';
import { ftsQuery } from '../../src/infra/search/sqlite-product-search.ts';
import { tsQuery } from '../../src/infra/search/postgres-product-search.ts';
import { prepareQuery, relaxQuery, synonymWords, type PreparedQuery } from '../../src/search/query-prep.ts';
import { tokenize } from '../../src/search/query-text.ts';
import { VocabularyCache } from '../../src/search/vocabulary-cache.ts';
import { boundedDistance, WordIndex } from '../../src/search/word-index.ts';

const catalogWords = [
  'coffee',
  'mug',
  'hoodie',
  'red',
  'espresso',
  'grinder',
  'grind',
  'hand',
  'shirt',
  't',
  'tee',
  'cotton',
  'coat',
  'notebook',
  'gift',
  '250',
  'beanie',
];
const index = new WordIndex([...catalogWords, ...synonymWords]);
const prep = (text: string) => prepareQuery(text, index);
/** Each term as "alt|alt", an alternative as its words joined by a space, "*" when it may continue. */
const shape = (q: PreparedQuery) =>
  q.terms.map((t) => t.alternatives.map((a) => (a.kind === 'words' ? a.words.join(' ') + (a.prefix ? '*' : '') : `~${a.text}`)).join('|'));

describe('Damerau–Levenshtein distance', () => {
  const d = (a: string, b: string, limit = 3) => boundedDistance([...a], [...b], limit);
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit', () => {
    expect(d('mugg', 'mug')).toBe(1);
    expect(d('hoddie', 'hoodie')).toBe(1);
    expect(d('grindre', 'grinder')).toBe(1);
    expect(d('expresso', 'espresso')).toBe(1);
    expect(d('coffe', 'coffee')).toBe(1);
    expect(d('kitten', 'sitting')).toBe(3);
  });
  it('stops as soon as the distance exceeds the limit', () => {
    expect(d('abcdef', 'uvwxyz', 1)).toBe(2);
    expect(d('a', 'abcd', 2)).toBe(3);
  });
});

describe('typo correction', () => {
  it('corrects words of 4-7 letters by one edit, 8 or more by two', () => {
    expect(prep('hoddie').corrections).toEqual({ hoddie: 'hoodie' });
    expect(prep('mugg').corrections).toEqual({ mugg: 'mug' });
    expect(prep('expresso').corrections).toEqual({ expresso: 'espresso' });
    expect(prep('notbeok').corrections).toEqual({}); // two edits in 7 letters: too far
    expect(prep('notebokk').corrections).toEqual({ notebokk: 'notebook' });
    expect(prep('espressso').corrections).toEqual({ espressso: 'espresso' });
  });
  it('never corrects short words or numbers', () => {
    expect(prep('rad').corrections).toEqual({});
    expect(prep('251').corrections).toEqual({});
    expect(shape(prep('251'))).toEqual(['251']);
  });
  it('leaves a word that begins a catalog word to match as a prefix', () => {
    expect(prep('cott').corrections).toEqual({}); // "coat" is one edit away, but "cotton" begins with it
    expect(shape(prep('cott'))).toEqual(['cott*']);
  });
  it('prefers the more frequent catalog word on equal distance', () => {
    expect(prepareQuery('mile', new WordIndex(['mine', 'mild'])).corrections).toEqual({ mile: 'mine' });
    expect(prepareQuery('mile', new WordIndex(['mild', 'mine'])).corrections).toEqual({ mile: 'mild' });
  });
  it('lets a catalog word find the longer catalog words it begins', () => {
    expect(shape(prep('grind'))).toEqual(['grind*']);
    expect(shape(prep('hoodie'))).toEqual(['hoodie']); // no longer word: a plain word search
  });
  it('reads a plural as the catalog word', () => {
    expect(shape(prep('mugs'))).toEqual(['mug']);
    expect(shape(prep('gifts'))).toEqual(['gift']);
    expect(shape(prep('notebooks'))).toEqual(['notebook|notepad|journal']);
  });
});

describe('query preparation', () => {
  it('expands synonyms both ways for groups, one way for the rest', () => {
    expect(shape(prep('tee'))).toEqual(['tee|t shirt|tshirt']);
    expect(shape(prep('t-shirt'))).toEqual(['t shirt|tee|tshirt']);
    expect(shape(prep('sweatshirt'))).toEqual(['sweatshirt|hoodie']);
    expect(shape(prep('hoodie'))).toEqual(['hoodie']);
    expect(shape(prep('present'))).toEqual(['present|gift']);
  });
  it('drops grammar words unless nothing else is left', () => {
    expect(prep('gift for a coffee lover').terms.map((t) => t.source)).toEqual(['gift', 'coffee', 'lover']);
    expect(prep('the').terms.map((t) => t.source)).toEqual(['the']);
  });
  it('matches scripts without spaces as substrings', () => {
    expect(shape(prep('咖啡杯'))).toEqual(['~咖啡杯']);
    expect(shape(prep('Red 咖啡杯'))).toEqual(['red', '~咖啡杯']);
  });
  it('folds case and accents, and keeps each word once', () => {
    expect(shape(prep('CAFÉ Café'))).toEqual(['cafe*']);
    expect(tokenize('Crème BRÛLÉE, crème!')).toEqual(['creme', 'brulee']);
  });
  it('falls back to the known words when nothing matches them all', () => {
    const q = prep('cheapest red mug');
    expect(q.terms.map((t) => [t.source, t.known])).toEqual([
      ['cheapest', false],
      ['red', true],
      ['mug', true],
    ]);
    expect(relaxQuery(q)?.terms.map((t) => t.source)).toEqual(['red', 'mug']);
    expect(relaxQuery(prep('xqzv blorft'))).toBeUndefined(); // nonsense stays nonsense
    expect(relaxQuery(prep('red mug'))).toBeUndefined();
  });
});

describe('database query text', () => {
  it('is the same query for FTS5 and tsquery', () => {
    const q = prep('red tee hoodie grind');
    expect(ftsQuery(q.terms)).toBe('("red") AND ("tee" OR "t shirt" OR "tshirt") AND ("hoodie") AND ("grind"*)');
    expect(tsQuery(q.terms)).toBe("('red') & ('tee' | 't' <-> 'shirt' | 'tshirt') & ('hoodie') & ('grind':*)");
  });
});

describe('vocabulary cache', () => {
  it('loads once, serves for the TTL, then refreshes in the background', async () => {
    let now = 0;
    let loads = 0;
    const cache = new VocabularyCache(
      () => {
        loads++;
        return Promise.resolve({ options: {}, categories: [], words: [`w${loads}`] });
      },
      30_000,
      () => now,
    );
    const [a, b] = await Promise.all([cache.get('s'), cache.get('s')]);
    expect(loads).toBe(1);
    expect(a).toBe(b);
    now = 29_999;
    expect((await cache.get('s')).vocabulary.words).toEqual(['w1']);
    now = 30_000;
    expect((await cache.get('s')).vocabulary.words).toEqual(['w1']); // stale while the refresh runs
    await new Promise((r) => setImmediate(r));
    expect(loads).toBe(2);
    expect((await cache.get('s')).vocabulary.words).toEqual(['w2']);
    expect((await cache.get('other')).vocabulary.words).toEqual(['w3']);
  });
});
