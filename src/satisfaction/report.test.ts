import { describe, expect, it } from 'vitest';
import { periodStart, summarize, tally } from './report.js';
import type { SurveyFact } from './repository.js';

const at = (iso: string) => Date.parse(iso);
const fact = (over: Partial<SurveyFact>): SurveyFact => ({
  tier: 'premium',
  priority: 'P2',
  agentId: 'a',
  agentName: 'Ann',
  createdAt: at('2026-06-03T10:00:00Z'),
  rating: null,
  ...over,
});

describe('satisfaction report', () => {
  it('scores good among the answers and the share answered among the surveys', () => {
    expect(
      tally([fact({ rating: 'good' }), fact({ rating: 'good' }), fact({ rating: 'bad' }), fact({})]),
    ).toEqual({
      sent: 4,
      answered: 3,
      good: 2,
      bad: 1,
      score: 0.6667,
      responseRate: 0.75,
    });
    expect(tally([fact({})])).toMatchObject({ score: null, responseRate: 0 });
    expect(tally([])).toMatchObject({ sent: 0, score: null, responseRate: null });
  });

  it('starts weeks on Monday 00:00 UTC and months on the 1st', () => {
    // Sunday 2026-06-07 23:59 UTC is in the week of Monday 2026-06-01.
    expect(periodStart(at('2026-06-07T23:59:00Z'), 'week')).toBe(at('2026-06-01T00:00:00Z'));
    expect(periodStart(at('2026-06-08T00:00:00Z'), 'week')).toBe(at('2026-06-08T00:00:00Z'));
    expect(periodStart(at('2026-12-31T23:00:00Z'), 'month')).toBe(at('2026-12-01T00:00:00Z'));
  });

  it('lists every period of the span, empty ones too, and groups in the policy’s order', () => {
    const facts = [
      fact({ tier: 'enterprise', priority: 'P0', rating: 'bad', agentId: null, agentName: null }),
      fact({
        tier: 'basic',
        priority: 'P3',
        rating: 'good',
        agentId: 'b',
        agentName: 'Bea',
        createdAt: at('2026-07-15T00:00:00Z'),
      }),
      fact({ rating: 'good' }),
    ];
    const report = summarize(facts, at('2026-05-20T00:00:00Z'), at('2026-08-01T00:00:00Z'), 'month');
    expect(report.byTier.map((r) => r.tier)).toEqual(['basic', 'premium', 'enterprise']);
    expect(report.byPriority.map((r) => r.priority)).toEqual(['P0', 'P2', 'P3']);
    expect(report.byAgent.map((r) => r.agentName)).toEqual(['Ann', 'Bea', null]);
    expect(report.byPeriod.map((p) => [new Date(p.start).toISOString().slice(0, 7), p.sent, p.good])).toEqual(
      [
        ['2026-05', 0, 0],
        ['2026-06', 2, 1],
        ['2026-07', 1, 1],
      ],
    );
  });
});
