import { describe, expect, it } from 'vitest';
import { hasPositiveTerms, parseQuery } from './analysis.js';
import { ftsExpression, tsqueryText, tsvectorLiteral } from './expressions.js';
import { highlightAll, readText, snippet, wordMatcher } from './snippet.js';

const words = (q: string) =>
  parseQuery(q).clauses.map((c) => (c.excluded ? '-' : '') + c.words.map((w) => w.word).join(' '));

describe('reading a query', () => {
  it('reads words, "phrases", -exclusions and #numbers', () => {
    expect(words('printer "paper jam" -toner')).toEqual(['printer', 'paper jam', '-toner']);
    expect(parseQuery('#1234 printer').number).toBe(1234);
    expect(words('#1234 printer')).toEqual(['printer']);
  });

  it('runs an unclosed quote to the end and makes a bare run of several words a phrase', () => {
    expect(words('"paper jam again')).toEqual(['paper jam again']);
    expect(words('alice@example.com')).toEqual(['alice example com']);
  });

  it('treats operators and punctuation as nothing or as words', () => {
    expect(words('NEAR( * - {head}: x')).toEqual(['near', 'head', 'x']);
    // The quote is never closed: what follows it is one phrase.
    expect(words('NEAR( " - {head}: x')).toEqual(['near', 'head x']);
    expect(hasPositiveTerms(parseQuery('" * -'))).toBe(false);
    expect(hasPositiveTerms(parseQuery('-only -exclusions'))).toBe(false);
  });

  it('drops stopwords when other words remain, in either language', () => {
    expect(words('the printer of la imprimante')).toEqual(['printer', 'imprimante']);
    expect(words('the')).toEqual(['the']);
  });

  it('stems each word in English and in French', () => {
    const [clause] = parseQuery('imprimantes').clauses;
    expect(clause!.words[0]!.stems).toEqual({ en: 'imprimant', fr: 'imprim' });
  });
});

describe('engine expressions', () => {
  it('quotes every stem for FTS5 and limits customers to the head and public columns', () => {
    const query = parseQuery('imprimantes "paper jam" -toner');
    const staff = '(("imprimant" OR "imprim") AND ("paper jam" OR "pap jam")) NOT ("toner" OR "ton")';
    expect(ftsExpression(query, 'staff')).toBe(staff);
    expect(ftsExpression(query, 'customer')).toBe(`{head public} : (${staff})`);
  });

  it('weights customers\u2019 lexemes A and B in tsquery, exclusions included', () => {
    const query = parseQuery('"paper jam" -toner');
    expect(tsqueryText(query, 'staff')).toBe(
      "(('paper' <-> 'jam') | ('pap' <-> 'jam')) & !('toner' | 'ton')",
    );
    expect(tsqueryText(query, 'customer')).toBe(
      "(('paper':AB <-> 'jam':AB) | ('pap':AB <-> 'jam':AB)) & !('toner':AB | 'ton':AB)",
    );
  });

  it('writes positions and weights across the streams', () => {
    expect(tsvectorLiteral({ head: '12 printer', public: 'printer jam', internal: 'toner' })).toBe(
      "'12':1A 'printer':2A,4B 'jam':5B 'toner':7C",
    );
  });
});

describe('highlighting', () => {
  const stems = wordMatcher(new Set(['imprim', 'imprimant']));
  it('marks matching words as segments, never as HTML', () => {
    expect(highlightAll('Les <b>imprimantes</b>', stems)).toEqual([
      { text: 'Les <b>', highlight: false },
      { text: 'imprimantes', highlight: true },
      { text: '</b>', highlight: false },
    ]);
  });

  it('cuts a long text around its matches with ellipses', () => {
    const text = `${'word '.repeat(50)}une imprimante ici ${'word '.repeat(50)}`;
    const segments = snippet(readText(text), stems, 10);
    expect(segments[0]!.text.startsWith('… ')).toBe(true);
    expect(segments.at(-1)!.text.endsWith(' …')).toBe(true);
    expect(segments.filter((s) => s.highlight).map((s) => s.text)).toEqual(['imprimante']);
  });
});
