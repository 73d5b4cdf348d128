import { PRIORITIES, TIERS } from '../policy/tiers.js';
import type { SurveyFact } from './repository.js';

export type Period = 'week' | 'month';

/** Surveys sent, answers, and the score: the share of good among the answers. */
export interface Tally {
  sent: number;
  answered: number;
  good: number;
  bad: number;
  /** good / (good + bad); null without answers. */
  score: number | null;
  /** answered / sent; null without surveys. */
  responseRate: number | null;
}

const DAY = 86_400_000;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function tally(facts: readonly SurveyFact[]): Tally {
  let good = 0;
  let bad = 0;
  for (const f of facts) {
    if (f.rating === 'good') good += 1;
    else if (f.rating === 'bad') bad += 1;
  }
  const answered = good + bad;
  return {
    sent: facts.length,
    answered,
    good,
    bad,
    score: answered === 0 ? null : round4(good / answered),
    responseRate: facts.length === 0 ? null : round4(answered / facts.length),
  };
}

/** The start of the UTC week (Monday 00:00) or month holding an instant. */
export function periodStart(at: number, period: Period): number {
  const d = new Date(at);
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return day - sinceMonday * DAY;
}

function nextPeriod(start: number, period: Period): number {
  if (period === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function groupBy<K>(facts: readonly SurveyFact[], key: (f: SurveyFact) => K): Map<K, SurveyFact[]> {
  const groups = new Map<K, SurveyFact[]>();
  for (const f of facts) {
    const k = key(f);
    const list = groups.get(k);
    if (list) list.push(f);
    else groups.set(k, [f]);
  }
  return groups;
}

/**
 * The satisfaction report of the surveys sent in [from, to): in all, per tier, priority and agent
 * (those with surveys, in the policy's order, then by name), and per week or month (every period
 * the span touches, empty ones too, so a chart has no gaps; the first and last cut to the span).
 * Periods are UTC.
 */
export function summarize(facts: readonly SurveyFact[], from: number, to: number, period: Period) {
  const byTier = groupBy(facts, (f) => f.tier);
  const byPriority = groupBy(facts, (f) => f.priority);
  const byAgent = groupBy(facts, (f) => f.agentId);
  const byPeriod = groupBy(facts, (f) => periodStart(f.createdAt, period));
  const periods: { start: number; end: number; tally: Tally }[] = [];
  for (let start = periodStart(from, period); start < to; start = nextPeriod(start, period))
    periods.push({
      start: Math.max(start, from),
      end: Math.min(nextPeriod(start, period), to),
      tally: tally(byPeriod.get(start) ?? []),
    });
  return {
    totals: tally(facts),
    byTier: TIERS.filter((t) => byTier.has(t)).map((tier) => ({ tier, ...tally(byTier.get(tier)!) })),
    byPriority: PRIORITIES.filter((p) => byPriority.has(p)).map((priority) => ({
      priority,
      ...tally(byPriority.get(priority)!),
    })),
    byAgent: [...byAgent.entries()]
      .map(([agentId, list]) => ({ agentId, agentName: list[0]!.agentName, ...tally(list) }))
      .sort(
        (a, b) =>
          (a.agentId === null ? 1 : 0) - (b.agentId === null ? 1 : 0) ||
          (a.agentName ?? '').localeCompare(b.agentName ?? ''),
      ),
    byPeriod: periods.map((p) => ({ start: p.start, end: p.end, ...p.tally })),
  };
}
