import { normalizeForSearch } from '../catalog/search-text.ts';

/** Characters of a word: letters, digits and combining marks; anything else separates words. */
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/u;

/** Scripts written without spaces between words: matched as substrings, never word by word. */
const NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** Most words a query is cut to; a shopper's message is never longer than that in meaning. */
export const MAX_QUERY_WORDS = 12;

/** The words of a text, normalised as Product.searchText is (lower case, accents folded), in order. */
export function wordsOf(text: string): string[] {
  return normalizeForSearch(text)
    .split(SEPARATORS)
    .filter((w) => w.length > 0);
}

/** The words of a text that is normalised already (Product.searchText). */
export function splitWords(normalized: string): string[] {
  return normalized.split(SEPARATORS).filter((w) => w.length > 0);
}

/** Distinct words of a query, at most MAX_QUERY_WORDS. */
export function tokenize(text: string): string[] {
  return [...new Set(wordsOf(text))].slice(0, MAX_QUERY_WORDS);
}

export function isNoSpaceScript(word: string): boolean {
  return NO_SPACE_SCRIPT.test(word);
}

export function hasDigit(word: string): boolean {
  return /\p{N}/u.test(word);
}

/** Lower case for ASCII letters only, which is what both databases' lower() agree on. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Grammar words dropped from a query (unless the query is nothing else). */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'for',
  'of',
  'with',
  'and',
  'or',
  'to',
  'in',
  'on',
  'my',
  'me',
  'i',
  'some',
  'any',
  'please',
  'show',
  'find',
  'want',
  'need',
  'looking',
  'something',
  'do',
  'you',
  'have',
  'is',
  'are',
  'it',
]);
