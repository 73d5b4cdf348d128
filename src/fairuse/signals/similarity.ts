import type { HcLocale } from '../../helpcenter/search/types.js';
import { contentStems, cosine, coverage, plainText, sameField, termsOf, type Terms } from './text.js';
import { termVector, vectorCosine, type TermVector } from './vector.js';

/**
 * When a ticket repeats a resolved one, a reopen brings nothing new, or an article answers a ticket:
 * the rules behind the stored fair-use signals, as pure functions of the texts.
 */

/** A ticket as the comparisons read it: its subject, the message that opened it, its reproduction. */
export interface TicketText {
  subject: string;
  body: string;
  bodyFormat?: string | undefined;
  reproSteps: string | null;
  reproExpected: string | null;
  reproActual: string | null;
  reproEnvironment: string | null;
}

/**
 * A new ticket repeats a resolved one from this similarity up. Rewordings of one problem score
 * 0.7–0.9 on the cases in similarity.test.ts; different problems of the same product and
 * organization, which share its nouns ("work order"), stay under 0.45.
 */
export const REPEAT_THRESHOLD = 0.6;
/** Equal reproduction steps are the same problem told the same way; an equal environment less so. */
export const SAME_STEPS_BONUS = 0.15;
export const SAME_ENVIRONMENT_BONUS = 0.05;
/** The matches one signal keeps as its evidence, most similar first. */
export const MAX_MATCHES = 5;

/** A reply this short (content words) that reopens a resolved ticket says nothing new: "still broken". */
export const SHORT_REPLY_WORDS = 5;
/** A reply whose words the ticket already holds to this share repeats it. */
export const REPEATED_REPLY_COVERAGE = 0.8;

/** The share of a ticket's words an article must hold to answer it, and the fewest words in common. */
export const ARTICLE_COVERAGE = 0.5;
export const ARTICLE_MIN_SHARED = 2;

/** The subject counts twice: it is what the customer thinks the problem is. */
export function ticketTerms(locale: HcLocale, t: TicketText): Terms {
  return termsOf(locale, [
    { text: t.subject, weight: 2 },
    { text: plainText(t.body, t.bodyFormat), weight: 1 },
    { text: [t.reproSteps, t.reproExpected, t.reproActual].filter(Boolean).join('\n'), weight: 1 },
  ]);
}

/** What of a ticket the repeat comparison reads besides its words: the reproduction details. */
export type ReproDetails = Pick<TicketText, 'reproSteps' | 'reproEnvironment'>;

/** How much a new ticket repeats an earlier one, 0..1: text cosine, plus equal reproduction details. */
export function repeatSimilarity(
  a: { terms: Terms; text: ReproDetails },
  b: { terms: Terms; text: ReproDetails },
): number {
  return withReproBonus(cosine(a.terms, b.terms), a.text, b.text);
}

function withReproBonus(textCosine: number, a: ReproDetails, b: ReproDetails): number {
  let score = textCosine;
  if (sameField(a.reproSteps, b.reproSteps)) score += SAME_STEPS_BONUS;
  if (sameField(a.reproEnvironment, b.reproEnvironment)) score += SAME_ENVIRONMENT_BONUS;
  return Math.min(1, score);
}

export interface RepeatMatch<T> {
  candidate: T;
  similarity: number;
}

/** The earlier tickets a new one repeats, most similar first, at most MAX_MATCHES. */
export function repeatMatches<T extends { text: TicketText }>(
  locale: HcLocale,
  ticket: TicketText,
  candidates: readonly T[],
): RepeatMatch<T>[] {
  const terms = ticketTerms(locale, ticket);
  if (terms.size === 0) return [];
  const matches: RepeatMatch<T>[] = [];
  for (const candidate of candidates) {
    const similarity = repeatSimilarity(
      { terms, text: ticket },
      { terms: ticketTerms(locale, candidate.text), text: candidate.text },
    );
    if (similarity >= REPEAT_THRESHOLD) matches.push({ candidate, similarity: round(similarity) });
  }
  return matches.sort((x, y) => y.similarity - x.similarity).slice(0, MAX_MATCHES);
}

/**
 * repeatMatches over candidates whose words were read before, as term vectors (ticketTerms in the
 * same locale): the comparison a new ticket makes with its organization's resolved ones.
 */
export function repeatMatchesOf<T extends { vector: TermVector; text: ReproDetails }>(
  locale: HcLocale,
  ticket: TicketText,
  candidates: readonly T[],
): RepeatMatch<T>[] {
  const terms = ticketTerms(locale, ticket);
  if (terms.size === 0) return [];
  const vector = termVector(terms);
  const matches: RepeatMatch<T>[] = [];
  for (const candidate of candidates) {
    const similarity = withReproBonus(vectorCosine(vector, candidate.vector), ticket, candidate.text);
    if (similarity >= REPEAT_THRESHOLD) matches.push({ candidate, similarity: round(similarity) });
  }
  return matches.sort((x, y) => y.similarity - x.similarity).slice(0, MAX_MATCHES);
}

/** Why a reply that reopened a resolved ticket brings no new information, or null when it does. */
export function unchangedReopen(
  locale: HcLocale,
  reply: string,
  ticketSoFar: string[],
): { words: number; coverage: number; score: number } | null {
  const words = new Set(contentStems(locale, reply)).size;
  const replyTerms = termsOf(locale, [{ text: reply, weight: 1 }]);
  const said = termsOf(
    locale,
    ticketSoFar.map((text) => ({ text, weight: 1 })),
  );
  const covered = round(coverage(replyTerms, said));
  if (words <= SHORT_REPLY_WORDS) return { words, coverage: covered, score: Math.max(0.6, covered) };
  if (covered >= REPEATED_REPLY_COVERAGE) return { words, coverage: covered, score: covered };
  return null;
}

/** How well an article answers a ticket: the share of the ticket's words it holds, or null below the bar. */
export function articleAnswers(ticket: Terms, article: Terms): number | null {
  let shared = 0;
  for (const term of ticket.keys()) if (article.has(term)) shared++;
  const share = coverage(ticket, article);
  return shared >= ARTICLE_MIN_SHARED && share >= ARTICLE_COVERAGE ? round(share) : null;
}

export const round = (x: number) => Math.round(x * 1000) / 1000;

/** An article answers with any of its words, not only its first ones. */
const ARTICLE_ANALYSED_CHARS = 50_000;

/** An article's words: its title twice, then summary, symptom, body and workaround. */
export function articleTerms(
  locale: HcLocale,
  a: { title: string; summary: string; body: string; symptom: string | null; workaround: string | null },
): Terms {
  return termsOf(
    locale,
    [
      { text: a.title, weight: 2 },
      { text: [a.summary, a.symptom ?? '', a.body, a.workaround ?? ''].join('\n'), weight: 1 },
    ],
    ARTICLE_ANALYSED_CHARS,
  );
}
