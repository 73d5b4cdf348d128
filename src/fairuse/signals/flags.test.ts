import { describe, expect, it } from 'vitest';
import {
  helpCenterFlag,
  offTopicFlag,
  repeatFlag,
  volumeFlag,
  type AnswerLinkRecord,
  type FlagScope,
  type SignalRecord,
} from './flags.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const scope: FlagScope = {
  organizationId: 'org-1',
  organizationName: 'Acme',
  since: NOW - 30 * DAY,
  now: NOW,
  dismissedAt: null,
};
const ref = (n: number) => ({
  id: `t${n}`,
  number: n,
  subject: `Ticket ${n}`,
  createdAt: new Date(NOW - n * DAY).toISOString(),
});
const repeat = (n: number): SignalRecord => ({
  id: `s${n}`,
  kind: 'repeat_incident',
  score: 0.8,
  evidence: { matches: [{ id: 't100', number: 100, subject: 'Export fails', similarity: 0.8 }] },
  at: NOW - n * DAY,
  ticket: ref(n),
});
const reopen = (n: number): SignalRecord => ({
  id: `r${n}`,
  kind: 'reopened_unchanged',
  score: 0.6,
  evidence: { messageId: 'm', excerpt: 'Still broken', words: 2, coverage: 1 },
  at: NOW - n * DAY,
  ticket: ref(n),
});

describe('the repeat flag', () => {
  it('needs three tickets: two repeats are not a pattern', () => {
    expect(repeatFlag(scope, [repeat(1), repeat(2)])).toBeNull();
  });

  it('counts repeats and empty reopens, scores 0.5 at the threshold, lists evidence newest first', () => {
    const flag = repeatFlag(scope, [repeat(5), reopen(1), repeat(3)])!;
    expect(flag).toMatchObject({ id: 'org-1:repeat_incident', kind: 'repeat_incident', score: 0.5 });
    expect(flag.summary).toBe(
      '3 tickets in the last 30 days repeat resolved incidents: 2 new tickets closely matching 1 resolved ticket, 1 reopen without new information.',
    );
    expect(flag.evidence.map((e) => e.ticket?.number)).toEqual([1, 3, 5]);
    expect(flag.evidence[1]!.matches).toEqual([
      { id: 't100', number: 100, subject: 'Export fails', similarity: 0.8 },
    ]);
    expect(flag.window).toEqual({ from: '2026-05-02T12:00:00.000Z', to: '2026-06-01T12:00:00.000Z' });
  });

  it('scores 1 from twice the threshold, and says since when after a dismissal', () => {
    const flag = repeatFlag(
      { ...scope, dismissedAt: NOW - 10 * DAY, since: NOW - 10 * DAY },
      [1, 2, 3, 4, 5, 6, 7].map(repeat),
    )!;
    expect(flag.score).toBe(1);
    expect(flag.summary).toMatch(/^7 tickets since the flag was dismissed on 2026-05-22 /);
  });
});

describe('the help center flag', () => {
  const suggested = (n: number, opened: boolean): SignalRecord => ({
    id: `h${n}`,
    kind: 'helpcenter_answered',
    score: 0.9,
    evidence: {
      articles: [
        { id: 'a1', title: 'Reset your password', url: '/hc/en/articles/reset', opened, similarity: 0.9 },
      ],
    },
    at: NOW - n * DAY,
    ticket: ref(n),
  });
  const answer = (n: number): AnswerLinkRecord => ({
    at: NOW - n * DAY,
    ticket: ref(n),
    article: { id: 'a2', title: 'Export work orders', url: '/hc/en/articles/export', opened: false },
  });

  it('counts each ticket once, whether suggested before sending or answered with a link', () => {
    expect(helpCenterFlag(scope, [suggested(1, true), suggested(2, false)], [answer(2)])).toBeNull();
    const flag = helpCenterFlag(scope, [suggested(1, true), suggested(2, false)], [answer(3)])!;
    expect(flag.summary).toBe(
      '3 tickets in the last 30 days asked what 2 help center articles already answer (2 sent after the answer was suggested; 1 answered by staff with an article link).',
    );
    expect(flag.evidence.map((e) => [e.ticket?.number, e.article?.id, e.article?.opened])).toEqual([
      [1, 'a1', true],
      [2, 'a1', false],
      [3, 'a2', false],
    ]);
    expect(flag.facts).toEqual({
      windowDays: 30,
      kind: 'helpcenter_answered',
      threshold: 3,
      tickets: 3,
      articles: 2,
      suggested: 2,
      opened: 1,
      answered: 1,
    });
    expect(flag.evidence.map((e) => e.fact)).toEqual([
      { kind: 'suggested_article', opened: true, coverage: 0.9 },
      { kind: 'suggested_article', opened: false, coverage: 0.9 },
      { kind: 'answered_with_article' },
    ]);
  });

  it('is not raised by one ticket sent without opening the suggested article, nor by two', () => {
    expect(helpCenterFlag(scope, [suggested(1, false)], [])).toBeNull();
    expect(helpCenterFlag(scope, [suggested(1, false), suggested(2, false)], [])).toBeNull();
  });
});

describe('the off-topic flag', () => {
  const mark = (n: number): SignalRecord => ({
    id: `o${n}`,
    kind: 'off_topic',
    score: 1,
    evidence: { note: 'job application' },
    at: NOW - n * DAY,
    ticket: ref(n),
  });
  it('is raised by two marks, with the staff notes', () => {
    expect(offTopicFlag(scope, [mark(1)])).toBeNull();
    const flag = offTopicFlag(scope, [mark(1), mark(2)])!;
    expect(flag.summary).toBe('2 tickets in the last 30 days were marked off-topic by staff.');
    expect(flag.evidence[0]!.note).toBe('Marked off-topic: job application');
  });
});

describe('the volume flag', () => {
  const counts = { tier: 'premium', topRequester: null };
  it('needs ten tickets, twice its own average and twice its tier’s median', () => {
    // 9 tickets: too few, whatever the history.
    expect(volumeFlag(scope, { ...counts, recent: 9, baseline: 0, tierMedian: 1 })).toBeNull();
    // 12 tickets against an own average of 6 a month (18 in 90 days): exactly twice, not more.
    expect(volumeFlag(scope, { ...counts, recent: 12, baseline: 18, tierMedian: 1 })).toBeNull();
    // Twice its own, but its tier's median is 6.
    expect(volumeFlag(scope, { ...counts, recent: 12, baseline: 3, tierMedian: 6 })).toBeNull();
  });

  it('scores the smaller ratio against four, and explains the counts', () => {
    const flag = volumeFlag(scope, {
      recent: 12,
      baseline: 9,
      tier: 'premium',
      tierMedian: 2,
      topRequester: { id: 'u1', name: 'Dana', recent: 8, baseline: 3 },
    })!;
    // Own average 3 a month (ratio 4), tier median 2 (ratio 6): min 4 / 4 = 1.
    expect(flag.score).toBe(1);
    expect(flag.summary).toBe(
      '12 tickets in the last 30 days: 4× its own monthly average and 6× the premium tier’s median.',
    );
    expect(flag.evidence.map((e) => e.note)).toEqual([
      '12 tickets in the last 30 days; its own average 3 a month over the 90 days before; the premium tier’s median 2.',
      'Its top requester, Dana, filed 8 tickets; their own average 1 a month.',
    ]);
  });

  it('gives the counts as facts: ratios, averages and the rule that raised it', () => {
    const flag = volumeFlag(scope, { ...counts, recent: 12, baseline: 9, tierMedian: 2 })!;
    expect(flag.facts).toEqual({
      windowDays: 30,
      kind: 'volume',
      minimum: 10,
      ratio: 2,
      tickets: 12,
      baselineDays: 90,
      ownAverage: 3,
      ownRatio: 4,
      tier: 'premium',
      tierMedian: 2,
      tierRatio: 6,
    });
    expect(flag.dismissedAt).toBeNull();
    expect(flag.evidence[0]!.fact).toEqual({
      kind: 'volume',
      tickets: 12,
      ownAverage: 3,
      baselineDays: 90,
      tier: 'premium',
      tierMedian: 2,
    });
  });

  it('shows no multiple of a tier median that does not exist, and flags on the baseline there is', () => {
    // 42 tickets against an own average of 20 a month; nobody else of the tier filed.
    const flag = volumeFlag(scope, {
      ...counts,
      tier: 'essential',
      recent: 42,
      baseline: 60,
      tierMedian: null,
    })!;
    expect(flag.summary).toBe(
      '42 tickets in the last 30 days: 2.1× its own monthly average; no other organization of the essential tier to compare with.',
    );
    expect(flag.summary).not.toMatch(/42×/);
    expect(flag.facts).toMatchObject({ ownRatio: 2.1, tierMedian: null, tierRatio: null });
    // The smaller ratio there is, against four.
    expect(flag.score).toBe(0.53);
    expect(flag.evidence[0]!.note).toBe(
      '42 tickets in the last 30 days; its own average 20 a month over the 90 days before; no other organization of the essential tier filed, so no median to compare with.',
    );
  });

  it('shows no multiple of an own average that does not exist, and flags on the tier’s median', () => {
    const flag = volumeFlag(scope, { ...counts, recent: 12, baseline: 0, tierMedian: 2 })!;
    expect(flag.summary).toBe(
      '12 tickets in the last 30 days: no earlier tickets of its own to compare with; 6× the premium tier’s median.',
    );
    expect(flag.facts).toMatchObject({ ownAverage: null, ownRatio: null, tierRatio: 6 });
    expect(flag.score).toBe(1);
  });

  it('raises nothing without any baseline: a new organization in a tier nobody else filed in', () => {
    expect(volumeFlag(scope, { ...counts, recent: 40, baseline: 0, tierMedian: null })).toBeNull();
  });
});

describe('facts for the reader’s language', () => {
  it('gives each count flag its counts and threshold, and each evidence its kind', () => {
    const flag = repeatFlag(scope, [repeat(5), reopen(1), repeat(3)])!;
    expect(flag.facts).toEqual({
      windowDays: 30,
      kind: 'repeat_incident',
      threshold: 3,
      tickets: 3,
      repeats: 2,
      originals: 1,
      reopens: 1,
    });
    expect(flag.evidence.map((e) => e.fact)).toEqual([
      { kind: 'reopen', excerpt: 'Still broken', words: 2, coverage: 1 },
      { kind: 'repeat', matches: 1 },
      { kind: 'repeat', matches: 1 },
    ]);
  });

  it('says since when a dismissed flag runs', () => {
    const dismissedAt = NOW - 10 * DAY;
    const flag = offTopicFlag({ ...scope, since: dismissedAt, dismissedAt }, [
      { id: 'o1', kind: 'off_topic', score: 1, evidence: { note: null }, at: NOW - DAY, ticket: ref(1) },
      { id: 'o2', kind: 'off_topic', score: 1, evidence: { note: 'CV' }, at: NOW - 2 * DAY, ticket: ref(2) },
    ])!;
    expect(flag.dismissedAt).toBe('2026-05-22T12:00:00.000Z');
    expect(flag.facts).toEqual({ windowDays: 30, kind: 'off_topic', threshold: 2, tickets: 2 });
    expect(flag.evidence.map((e) => e.fact)).toEqual([
      { kind: 'off_topic', note: null },
      { kind: 'off_topic', note: 'CV' },
    ]);
  });
});
