import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as frenchStemmer } from '@orama/stemmers/french';
import { stopwords as englishStopwords } from '@orama/stopwords/english';
import { stopwords as frenchStopwords } from '@orama/stopwords/french';
import type { AnalysedDocument, HcLocale } from './types.js';

/** A word of a text: its folded form and where it stands in the original, for highlighting. */
export interface Token {
  word: string;
  start: number;
  end: number;
}

/** A distinct word of a query, by stem. */
export interface QueryWord {
  word: string;
  stem: string;
  stopword: boolean;
}

/** Longer runs of letters are identifiers, hashes or noise: indexed, but never looked up or corrected. */
export const MAX_WORD_LENGTH = 40;
/** How many distinct words of a query are considered at all; a ticket's text can be long. */
const MAX_QUERY_WORDS = 64;

// A word may carry combining marks (a decomposed "é"), but starts with a letter or digit.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const MARKS = /\p{M}/gu;
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' };
const DIGIT = /\p{N}/u;

/** Lowercase without accents: "Créer" and "creer" are one word to a reader who types without accents. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(MARKS, '')
    .replace(/[œæß]/g, (c) => LIGATURES[c] ?? c);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = fold(match[0]);
    if (word.length > 0) tokens.push({ word, start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

const STEMMERS: Record<HcLocale, (word: string) => string> = { en: englishStemmer, fr: frenchStemmer };

// Stemming dominates indexing time and help center text repeats its words; the cache is bounded
// by clearing it, which costs a few recomputations and never memory.
const STEM_CACHE_LIMIT = 50_000;
const stemCaches: Record<HcLocale, Map<string, string>> = { en: new Map(), fr: new Map() };

/**
 * The stem of a folded word. Stemming after folding keeps the stem independent of how the accents
 * were typed, and PostgreSQL's Snowball configurations see the same folded text.
 */
export function stem(locale: HcLocale, word: string): string {
  const cache = stemCaches[locale];
  let result = cache.get(word);
  if (result === undefined) {
    result = DIGIT.test(word) ? word : STEMMERS[locale](word) || word;
    if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
    cache.set(word, result);
  }
  return result;
}

function stopwordSet(words: readonly string[]): Set<string> {
  // Entries such as "don't" are two tokens to the tokenizer and are left out.
  return new Set(words.map(fold).filter((w) => /^[\p{L}\p{N}]+$/u.test(w)));
}

const STOPWORDS: Record<HcLocale, Set<string>> = {
  en: stopwordSet(englishStopwords),
  fr: stopwordSet(frenchStopwords),
};

export function isStopword(locale: HcLocale, word: string): boolean {
  return STOPWORDS[locale].has(word);
}

/** Code points, so that a folded word's length is what a reader counts. */
export function wordLength(word: string): number {
  let n = 0;
  for (const _ of word) n++;
  return n;
}

/** Whether a word belongs in the vocabulary that typos are corrected to. */
export function isVocabularyWord(locale: HcLocale, word: string): boolean {
  const length = wordLength(word);
  return length >= 3 && length <= MAX_WORD_LENGTH && !DIGIT.test(word) && !isStopword(locale, word);
}

/** The word's letter trigrams, with ^ and $ marking its ends so that first and last letters count. */
export function trigrams(word: string): string[] {
  const chars = [...`^${word}$`];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  return [...grams];
}

/** A document's text as each engine indexes it, and its vocabulary words (sorted, distinct). */
export function analyseDocument(
  locale: HcLocale,
  title: string,
  text: string,
): AnalysedDocument & { words: string[] } {
  const titleTokens = tokenize(title);
  const textTokens = tokenize(text);
  const words = new Set<string>();
  for (const token of [...titleTokens, ...textTokens])
    if (isVocabularyWord(locale, token.word)) words.add(token.word);
  return {
    foldedTitle: fold(title),
    foldedText: fold(text),
    titleStems: titleTokens.map((t) => stem(locale, t.word)).join(' '),
    textStems: textTokens.map((t) => stem(locale, t.word)).join(' '),
    words: [...words].sort(),
  };
}

/**
 * A query's distinct words, in order, one per stem. Stopwords are dropped unless nothing else is
 * left ("to be or not to be" still searches for something).
 */
export function analyseQuery(locale: HcLocale, text: string): QueryWord[] {
  const content: QueryWord[] = [];
  const stopwords: QueryWord[] = [];
  const stems = new Set<string>();
  for (const token of tokenize(text)) {
    if (token.word.length > MAX_WORD_LENGTH) continue;
    const wordStem = stem(locale, token.word);
    if (stems.has(wordStem)) continue;
    stems.add(wordStem);
    const stopword = isStopword(locale, token.word);
    const list = stopword ? stopwords : content;
    if (list.length < MAX_QUERY_WORDS) list.push({ word: token.word, stem: wordStem, stopword });
    if (content.length === MAX_QUERY_WORDS) break;
  }
  return content.length > 0 ? content : stopwords;
}
