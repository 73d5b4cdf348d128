import { stem, tokenize, type Token } from './analysis.js';
import type { HcLocale } from './types.js';

/**
 * Highlighted titles and snippets, built from the plain text of the hits on a page so that both
 * databases show the same thing. A word matches when its folded stem is one of the query's stems.
 */

/** Words in a snippet: about two lines of a result list. */
export const SNIPPET_WORDS = 30;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Text between words, escaped, its line breaks and runs of spaces made one space. */
function gap(text: string): string {
  return escapeHtml(text.replace(/\s+/g, ' '));
}

function render(text: string, tokens: Token[], matched: boolean[], from: number, to: number): string {
  let html = '';
  for (let i = from; i <= to; i++) {
    const token = tokens[i]!;
    if (i > from) html += gap(text.slice(tokens[i - 1]!.end, token.start));
    const word = escapeHtml(text.slice(token.start, token.end));
    html += matched[i] ? `<mark>${word}</mark>` : word;
  }
  return html;
}

function matches(locale: HcLocale, tokens: Token[], stems: ReadonlySet<string>): boolean[] {
  return tokens.map((t) => stems.has(stem(locale, t.word)));
}

/** The whole title, escaped, its matching words marked. */
export function highlightTitle(locale: HcLocale, title: string, stems: ReadonlySet<string>): string {
  const tokens = tokenize(title);
  if (tokens.length === 0) return gap(title).trim();
  const html = render(title, tokens, matches(locale, tokens, stems), 0, tokens.length - 1);
  return (
    gap(title.slice(0, tokens[0]!.start)).trimStart() + html + gap(title.slice(tokens.at(-1)!.end)).trimEnd()
  );
}

/**
 * The window of about thirty words that holds the most distinct query stems (then the most matches),
 * centred on its matches, escaped, its matching words marked, with an ellipsis where text was cut.
 */
export function buildSnippet(
  locale: HcLocale,
  text: string,
  stems: ReadonlySet<string>,
  size = SNIPPET_WORDS,
): string {
  const tokens = tokenize(text);
  if (tokens.length === 0) return '';
  const tokenStems = tokens.map((t) => stem(locale, t.word));
  const matched = tokenStems.map((s) => stems.has(s));
  const n = tokens.length;
  const width = Math.min(size, n);
  let bestStart = 0;
  let bestScore = -1;
  // Slide the window one word at a time, keeping the count of each matched stem inside it.
  const inside = new Map<string, number>();
  let matchCount = 0;
  const enter = (i: number, delta: number) => {
    if (!matched[i]) return;
    const s = tokenStems[i]!;
    const count = (inside.get(s) ?? 0) + delta;
    if (count === 0) inside.delete(s);
    else inside.set(s, count);
    matchCount += delta;
  };
  for (let i = 0; i < width; i++) enter(i, 1);
  for (let start = 0; start + width <= n; start++) {
    if (start > 0) {
      enter(start - 1, -1);
      enter(start + width - 1, 1);
    }
    const score = inside.size * (size + 1) + matchCount;
    if (score > bestScore) {
      bestScore = score;
      bestStart = start;
    }
  }
  let from = bestStart;
  if (bestScore > 0) {
    // Centre the window on the matches it holds, so that they are read with some context.
    let first = -1;
    let last = -1;
    for (let i = bestStart; i < bestStart + width; i++)
      if (matched[i]) {
        if (first < 0) first = i;
        last = i;
      }
    const slack = width - (last - first + 1);
    from = Math.max(0, Math.min(first - Math.floor(slack / 2), n - width));
  }
  const to = from + width - 1;
  const before = from > 0 ? '… ' : gap(text.slice(0, tokens[0]!.start)).trimStart();
  const after = to < n - 1 ? ' …' : gap(text.slice(tokens[to]!.end)).trimEnd();
  return before + render(text, tokens, matched, from, to) + after;
}
