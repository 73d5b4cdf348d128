import { LANGUAGES, type Clause, type ParsedQuery } from './analysis.js';

/**
 * A parsed query in each engine's syntax. Every stem is quoted by us, so nothing a visitor typed
 * reaches FTS5 or to_tsquery as an operator, column filter, prefix or weight.
 */

/** Who reads the results: customers match only the head and public messages. */
export type Reader = 'staff' | 'customer';

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** A clause's alternatives: its stems in English, and in French where they differ. */
function alternatives(clause: Clause): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const language of LANGUAGES) {
    const stems = clause.words.map((w) => w.stems[language]);
    const key = stems.join(' ');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(stems);
    }
  }
  return out;
}

const ftsString = (text: string) => `"${text.replaceAll('"', '""')}"`;

function ftsClause(clause: Clause): string {
  const options = distinct(alternatives(clause).map((stems) => ftsString(stems.join(' '))));
  return options.length === 1 ? options[0]! : `(${options.join(' OR ')})`;
}

/**
 * The FTS5 MATCH expression, or null when the query has no word to look for. Exclusions apply to
 * what the reader may read: a customer's `-word` never tells whether an internal note has it.
 */
export function ftsExpression(query: ParsedQuery, reader: Reader): string | null {
  const positive = query.clauses.filter((c) => !c.excluded).map(ftsClause);
  if (positive.length === 0) return null;
  let expression = positive.join(' AND ');
  for (const clause of query.clauses.filter((c) => c.excluded))
    expression = `(${expression}) NOT ${ftsClause(clause)}`;
  return reader === 'customer' ? `{head public} : (${expression})` : expression;
}

const lexeme = (stem: string, weights: string) =>
  `'${stem.replaceAll('\\', '\\\\').replaceAll("'", "''")}'${weights}`;

function tsClause(clause: Clause, weights: string): string {
  const options = alternatives(clause).map((stems) => {
    const words = stems.map((s) => lexeme(s, weights));
    return words.length === 1 ? words[0]! : `(${words.join(' <-> ')})`;
  });
  return options.length === 1 ? options[0]! : `(${options.join(' | ')})`;
}

/** Head is weight A, public messages B, internal notes C; a customer's lexemes are limited to A and B. */
export function tsqueryText(query: ParsedQuery, reader: Reader): string | null {
  const weights = reader === 'customer' ? ':AB' : '';
  const positive = query.clauses.filter((c) => !c.excluded).map((c) => tsClause(c, weights));
  if (positive.length === 0) return null;
  const excluded = query.clauses.filter((c) => c.excluded).map((c) => `!${tsClause(c, weights)}`);
  return [...positive, ...excluded].join(' & ');
}

/** Positions PostgreSQL keeps per lexeme, and the largest position it stores. */
const MAX_POSITIONS = 256;
const MAX_POSITION = 16_383;

/**
 * A tsvector literal of the three streams, weighted A, B and C, positions counted across them so
 * that a phrase never spans two streams' edges more than it would in the text.
 */
export function tsvectorLiteral(streams: { head: string; public: string; internal: string }): string {
  const positions = new Map<string, string[]>();
  let position = 0;
  const add = (stream: string, weight: string) => {
    if (stream.length === 0) return;
    for (const stem of stream.split(' ')) {
      position = Math.min(position + 1, MAX_POSITION);
      let list = positions.get(stem);
      if (!list) positions.set(stem, (list = []));
      if (list.length < MAX_POSITIONS) list.push(`${position}${weight}`);
    }
    position = Math.min(position + 1, MAX_POSITION);
  };
  add(streams.head, 'A');
  add(streams.public, 'B');
  add(streams.internal, 'C');
  return [...positions].map(([stem, list]) => `${lexeme(stem, '')}:${list.join(',')}`).join(' ');
}
