import { tokenize, type Token } from '../helpcenter/search/analysis.js';
import { matchesStems } from './analysis.js';

/**
 * Highlighted text as segments: plain strings and the words that matched. Clients render them as
 * text (a <mark> per highlighted segment), so nothing of a ticket is ever read as HTML.
 */
export interface Segment {
  text: string;
  highlight: boolean;
}

/** Words in a snippet: about two lines of a result list. */
export const SNIPPET_WORDS = 24;

function push(segments: Segment[], text: string, highlight: boolean) {
  if (text.length === 0) return;
  const last = segments.at(-1);
  if (last && last.highlight === highlight) last.text += text;
  else segments.push({ text, highlight });
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

/** Segments of text from word `from` to word `to`, with an ellipsis where it was cut. */
function render(text: string, tokens: Token[], matched: boolean[], from: number, to: number): Segment[] {
  const segments: Segment[] = [];
  push(segments, from > 0 ? '… ' : oneLine(text.slice(0, tokens[from]!.start)).trimStart(), false);
  for (let i = from; i <= to; i++) {
    const token = tokens[i]!;
    if (i > from) push(segments, oneLine(text.slice(tokens[i - 1]!.end, token.start)), false);
    push(segments, text.slice(token.start, token.end), matched[i]!);
  }
  push(segments, to < tokens.length - 1 ? ' …' : oneLine(text.slice(tokens[to]!.end)).trimEnd(), false);
  return segments;
}

/** Whether a folded word matches, each distinct word of a page's texts stemmed once. */
export type WordMatcher = (word: string) => boolean;

export function wordMatcher(stems: ReadonlySet<string>): WordMatcher {
  const seen = new Map<string, boolean>();
  return (word) => {
    let matched = seen.get(word);
    if (matched === undefined) {
      matched = matchesStems(word, stems);
      seen.set(word, matched);
    }
    return matched;
  };
}

/** Characters of a message read for its snippet: the quote comes from its beginning. */
const MAX_QUOTED_CHARS = 20_000;

/** A text as words, read once for both its score and its snippet. */
export function readText(text: string): { text: string; tokens: Token[] } {
  const read = text.length > MAX_QUOTED_CHARS ? text.slice(0, MAX_QUOTED_CHARS) : text;
  return { text: read, tokens: tokenize(read) };
}

/** How many distinct matched words a text has: which message to quote. */
export function matchScore(tokens: Token[], matches: WordMatcher): number {
  const words = new Set<string>();
  for (const token of tokens) if (matches(token.word)) words.add(token.word);
  return words.size;
}

/** The whole of a short text (a subject), its matching words highlighted. */
export function highlightAll(text: string, matches: WordMatcher): Segment[] {
  const tokens = tokenize(text);
  if (tokens.length === 0) return text.trim() ? [{ text: text.trim(), highlight: false }] : [];
  return render(
    text,
    tokens,
    tokens.map((t) => matches(t.word)),
    0,
    tokens.length - 1,
  );
}

/** The window of about two dozen words with the most matches, centred on them. */
export function snippet(
  { text, tokens }: { text: string; tokens: Token[] },
  matches: WordMatcher,
  size = SNIPPET_WORDS,
): Segment[] {
  if (tokens.length === 0) return [];
  const matched = tokens.map((t) => matches(t.word));
  const width = Math.min(size, tokens.length);
  let best = 0;
  let bestCount = -1;
  let count = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (matched[i]) count++;
    if (i >= width && matched[i - width]) count--;
    if (i >= width - 1 && count > bestCount) {
      bestCount = count;
      best = i - width + 1;
    }
  }
  let from = best;
  if (bestCount > 0) {
    const first = matched.indexOf(true, best);
    let last = first;
    for (let i = first; i < best + width; i++) if (matched[i]) last = i;
    const slack = width - (last - first + 1);
    from = Math.max(0, Math.min(first - Math.floor(slack / 2), tokens.length - width));
  }
  return render(text, tokens, matched, from, from + width - 1);
}
