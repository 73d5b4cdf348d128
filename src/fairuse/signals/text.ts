import { isStopword, MAX_WORD_LENGTH, stem, tokenize } from '../../helpcenter/search/analysis.js';
import type { HcLocale } from '../../helpcenter/search/types.js';

/**
 * Text similarity for the fair-use signals, on the help center's own analysis (accent folding,
 * Snowball stems, stopwords), so that "exporting" and "export", "créer" and "creer" are one term.
 * Pure functions: no database, no clock.
 */

/** A text's terms, stem → weight. */
export type Terms = Map<string, number>;

/** Long texts say what they are about in their first words; the rest costs time and adds noise. */
export const MAX_ANALYSED_CHARS = 2000;

/** Markup and entities are not words a customer wrote. */
export function plainText(body: string, format: string = 'text'): string {
  const text = format === 'html' ? body.replace(/<[^>]+>/g, ' ').replace(/&[a-z0-9#]+;/gi, ' ') : body;
  return text.slice(0, MAX_ANALYSED_CHARS);
}

/** The stems of a text's content words, in order (stopwords and one-letter words dropped). */
export function contentStems(locale: HcLocale, text: string, maxChars = MAX_ANALYSED_CHARS): string[] {
  const stems: string[] = [];
  for (const token of tokenize(text.slice(0, maxChars))) {
    if (token.word.length < 2 || token.word.length > MAX_WORD_LENGTH) continue;
    if (isStopword(locale, token.word)) continue;
    stems.push(stem(locale, token.word));
  }
  return stems;
}

/**
 * A weighted bag of terms from parts of a text: each part's stems count `weight` times (a subject
 * says more per word than a body). Repetition counts sublinearly (1 + ln n): a customer writing
 * "error" five times does not make two tickets about errors five times closer.
 */
export function termsOf(
  locale: HcLocale,
  parts: { text: string; weight: number }[],
  maxChars = MAX_ANALYSED_CHARS,
): Terms {
  const raw = new Map<string, number>();
  for (const part of parts)
    for (const s of contentStems(locale, part.text, maxChars)) raw.set(s, (raw.get(s) ?? 0) + part.weight);
  const terms: Terms = new Map();
  for (const [s, n] of raw) terms.set(s, n >= 1 ? 1 + Math.log(n) : n);
  return terms;
}

/** Cosine of two bags of terms: 1 for the same words in the same proportions, 0 for no word shared. */
export function cosine(a: Terms, b: Terms): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) dot += weight * other;
  }
  if (dot === 0) return 0;
  return dot / (norm(a) * norm(b));
}

function norm(terms: Terms): number {
  let sum = 0;
  for (const w of terms.values()) sum += w * w;
  return Math.sqrt(sum);
}

/**
 * How much of `part` is already in `whole`: the weighted share of part's terms that whole contains.
 * A short question is covered by a long article that answers it; a reply adds nothing when the
 * ticket already says all of it.
 */
export function coverage(part: Terms, whole: Terms): number {
  let total = 0;
  let covered = 0;
  for (const [term, weight] of part) {
    total += weight;
    if (whole.has(term)) covered += weight;
  }
  return total === 0 ? 0 : covered / total;
}

/** Two free-text fields say the same when their folded words are the same ("Chrome 120 / Win 11"). */
export function sameField(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const words = (s: string) =>
    tokenize(s)
      .map((t) => t.word)
      .join(' ');
  const left = words(a);
  return left.length > 0 && left === words(b);
}
