import { isStopword, stem, tokenize } from '../helpcenter/search/analysis.js';
import type { HcLocale } from '../helpcenter/search/types.js';

/**
 * How ticket text becomes stems and a visitor's query becomes terms, with the help center's
 * analyzers (accent folding, English and French Snowball stemmers). A ticket has no language of its
 * own: each message (and the subject, with the opening message) is stemmed in the language its
 * stopwords say it is written in, and a query word matches either its English or its French stem.
 */

export type Language = HcLocale;
const LANGUAGES: readonly Language[] = ['en', 'fr'];

/** Longer runs of letters are pasted data (keys, base64): they are left out of the index. */
export const MAX_INDEXED_WORD = 64;
/** Words per stream kept in the index: a pasted log file does not make a ticket unsearchable. */
export const MAX_STREAM_WORDS = 20_000;

/** The language whose stopwords the text uses most; English when neither or both equally. */
export function detectLanguage(text: string): Language {
  let en = 0;
  let fr = 0;
  let seen = 0;
  for (const token of tokenize(text)) {
    if (isStopword('en', token.word)) en++;
    if (isStopword('fr', token.word)) fr++;
    if (++seen >= 400) break;
  }
  return fr > en ? 'fr' : 'en';
}

/** A text's stems in order, space-separated: one index token per word, so phrases keep their positions. */
export function stemStream(text: string, language: Language = detectLanguage(text)): string {
  const stems: string[] = [];
  for (const token of tokenize(text)) {
    if (token.word.length > MAX_INDEXED_WORD) continue;
    stems.push(stem(language, token.word));
    if (stems.length >= MAX_STREAM_WORDS) break;
  }
  return stems.join(' ');
}

/** Appends a stream to another, within the index's word budget. */
export function appendStream(stream: string, more: string): string {
  if (more.length === 0) return stream;
  const joined = stream.length === 0 ? more : `${stream} ${more}`;
  const words = joined.split(' ');
  return words.length > MAX_STREAM_WORDS ? words.slice(0, MAX_STREAM_WORDS).join(' ') : joined;
}

/** What a ticket's head says: its number and subject, who asked and for which organization. */
export interface TicketHead {
  number: number;
  subject: string;
  requesterName: string;
  requesterEmail: string;
  organizationName: string;
  /** The opening message, which tells the subject's language better than its few words. */
  opening: string;
}

export function headStream(head: TicketHead): string {
  const language = detectLanguage(`${head.subject} ${head.opening}`);
  return [
    String(head.number),
    stemStream(head.subject, language),
    stemStream(`${head.requesterName} ${head.requesterEmail}`, 'en'),
    stemStream(head.organizationName, 'en'),
  ]
    .filter((s) => s.length > 0)
    .join(' ');
}

// ---------------------------------------------------------------------------------------------
// Queries

/** One word of a query with its stem in each language (equal when the stemmers agree). */
export interface QueryWord {
  word: string;
  stems: Record<Language, string>;
}

/** A word, or words in quotes (a phrase), optionally excluded with a leading minus. */
export interface Clause {
  words: QueryWord[];
  excluded: boolean;
}

export interface ParsedQuery {
  clauses: Clause[];
  /** `#1234`: the ticket with that number. */
  number: number | null;
}

/** Clauses a query may have; words of a phrase. More are ignored. */
export const MAX_CLAUSES = 16;
export const MAX_PHRASE_WORDS = 16;

function queryWord(word: string): QueryWord {
  return { word, stems: { en: stem('en', word), fr: stem('fr', word) } };
}

const isStopwordAnywhere = (word: string) => LANGUAGES.some((l) => isStopword(l, word));

/**
 * Reads a query: words, "phrases in quotes" (an unclosed quote runs to the end), -word and
 * -"phrase" to exclude, and `#1234` for a ticket number. Punctuation is never syntax beyond that:
 * `*`, `NEAR(`, `AND` are words or nothing. A bare run of several words (an email address,
 * "e-mail") is a phrase. Stopwords outside phrases are dropped when other words remain.
 */
export function parseQuery(text: string): ParsedQuery {
  const clauses: Clause[] = [];
  let number: number | null = null;
  let i = 0;
  while (i < text.length && clauses.length < MAX_CLAUSES) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let excluded = false;
    if (c === '-' && i + 1 < text.length && !/\s/.test(text[i + 1]!)) {
      excluded = true;
      i++;
    }
    let raw: string;
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      const close = text.indexOf('"', i + 1);
      const end = close < 0 ? text.length : close;
      raw = text.slice(i + 1, end);
      i = end + 1;
    } else {
      let end = i;
      while (end < text.length && !/\s/.test(text[end]!) && text[end] !== '"') end++;
      raw = text.slice(i, Math.max(end, i + 1));
      i = Math.max(end, i + 1);
    }
    const ticketNumber = /^#(\d{1,15})$/.exec(raw);
    if (!quoted && !excluded && ticketNumber && number === null) {
      number = Number(ticketNumber[1]);
      continue;
    }
    const words = tokenize(raw)
      .map((t) => t.word)
      .filter((w) => w.length <= MAX_INDEXED_WORD)
      .slice(0, MAX_PHRASE_WORDS);
    if (words.length > 0) clauses.push({ words: words.map(queryWord), excluded });
  }
  const meaningful = clauses.filter(
    (c) => c.excluded || c.words.length > 1 || !isStopwordAnywhere(c.words[0]!.word),
  );
  const kept = meaningful.some((c) => !c.excluded) ? meaningful : clauses;
  return { clauses: kept, number };
}

/** Whether the query looks for anything: a ticket number or at least one word not excluded. */
export function hasPositiveTerms(query: ParsedQuery): boolean {
  return query.number !== null || query.clauses.some((c) => !c.excluded);
}

/** The stems a highlighted word may have: those of the query's words that are not excluded. */
export function highlightStems(query: ParsedQuery): Set<string> {
  const stems = new Set<string>();
  for (const clause of query.clauses)
    if (!clause.excluded) for (const w of clause.words) for (const l of LANGUAGES) stems.add(w.stems[l]);
  if (query.number !== null) stems.add(String(query.number));
  return stems;
}

/** Whether a folded word of a text matches one of the stems, in either language. */
export function matchesStems(word: string, stems: ReadonlySet<string>): boolean {
  return LANGUAGES.some((l) => stems.has(stem(l, word)));
}

export { LANGUAGES };
