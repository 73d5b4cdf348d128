import type { HcLocale } from '../../helpcenter/search/types.js';
import { contentStems } from './text.js';

/**
 * The optional off-topic classifier: a multinomial naive Bayes over stemmed words, trained on the
 * tickets staff marked off-topic against a sample of the desk's other tickets. It suggests; staff
 * decide. Pure: the caller reads the training tickets.
 */

/** Below this many off-topic marks (or other tickets) the classifier says nothing. */
export const MIN_MARKS = 5;
export const MIN_OTHERS = 5;
/** Laplace smoothing: a word never seen in a class is rare there, not impossible. */
const ALPHA = 1;

interface ClassCounts {
  words: Map<string, number>;
  total: number;
}

export interface OffTopicModel {
  offTopic: ClassCounts;
  other: ClassCounts;
  vocabulary: number;
  trainedOn: number;
}

function count(locale: HcLocale, texts: readonly string[]): ClassCounts {
  const words = new Map<string, number>();
  let total = 0;
  for (const text of texts)
    for (const s of contentStems(locale, text)) {
      words.set(s, (words.get(s) ?? 0) + 1);
      total++;
    }
  return { words, total };
}

/** A model from the two samples, or null when either is too small to learn from. */
export function trainOffTopic(
  locale: HcLocale,
  offTopic: readonly string[],
  other: readonly string[],
): OffTopicModel | null {
  if (offTopic.length < MIN_MARKS || other.length < MIN_OTHERS) return null;
  const a = count(locale, offTopic);
  const b = count(locale, other);
  const vocabulary = new Set([...a.words.keys(), ...b.words.keys()]).size;
  return { offTopic: a, other: b, vocabulary, trainedOn: offTopic.length + other.length };
}

/**
 * The probability that a text is off-topic. The two classes get equal priors: the sample sizes are
 * the desk's choice (how many others it reads), not how often customers write off-topic. Words the
 * model never saw carry no evidence either way and are skipped.
 */
export function offTopicProbability(model: OffTopicModel, locale: HcLocale, text: string): number {
  let logOdds = 0;
  const denominatorA = model.offTopic.total + ALPHA * model.vocabulary;
  const denominatorB = model.other.total + ALPHA * model.vocabulary;
  for (const s of contentStems(locale, text)) {
    const inA = model.offTopic.words.get(s) ?? 0;
    const inB = model.other.words.get(s) ?? 0;
    if (inA === 0 && inB === 0) continue;
    logOdds += Math.log((inA + ALPHA) / denominatorA) - Math.log((inB + ALPHA) / denominatorB);
  }
  return 1 / (1 + Math.exp(-logOdds));
}
