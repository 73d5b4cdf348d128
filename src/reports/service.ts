import { isStaff, type Principal } from '../auth/principal.js';
import { daysFromCivil, civilFromDays, weekdayOfDay } from '../calendar/civil.js';
import { zoneClock } from '../calendar/zone.js';
import { PRIORITIES, TIERS, type Priority, type Tier } from '../policy/tiers.js';
import type { PolicyVersions } from '../policy/versions.js';
import { forbidden } from '../shared/problem.js';
import { toIso, type Clock } from '../shared/time.js';
import { PolicyTermsResolver, termsOf } from '../sla/terms.js';
import { unansweredAges } from './ages.js';
import {
  finishCell,
  MissingRanks,
  planCell,
  type CellFigures,
  type CellPlan,
  type CellRanks,
  type MedianStatus,
} from './first-response.js';
import type { ReportFilter, ReportsRepository } from './repository.js';

const DAY = 86_400_000;
const s = (ms: number) => Math.round(ms) / 1000;
const sOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : s(ms));

/** A month's tickets in a cell are at risk when more than this share has already missed. */
export const AT_RISK_SHARE = 0.4;
const CONFIDENCE = 0.95;

export interface ResponseTimeCell {
  tier: Tier;
  priority: Priority;
  /** Tickets answered (as `answered`), and not answered yet (as `unanswered`): kept for API clients. */
  count: number;
  pending: number;
  answered: number;
  unanswered: number;
  unansweredPastTarget: number;
  median: number | null;
  medianAtLeast: number | null;
  p90: number | null;
  target: number | null;
  clock: 'calendar' | 'business' | null;
  medianStatus: MedianStatus;
  medianMet: boolean | null;
  shareMet: number | null;
  ci: { low: number; high: number | null } | null;
  lowSample: boolean;
}

export interface ReportsDeps {
  repo: ReportsRepository;
  policy: PolicyVersions;
  clock: Clock;
  /** Cells with fewer tickets are flagged: too few to tell a miss from chance. */
  minimumSample: number;
}

/** The policy's promise, measured: median first-response times per tier and priority, and around them. */
export class ReportsService {
  private readonly terms: PolicyTermsResolver;

  constructor(private readonly deps: ReportsDeps) {
    this.terms = new PolicyTermsResolver(deps.policy);
  }

  /** Staff see any organization; a designated contact only their own; other customers nothing. */
  scope(actor: Principal, filter: ReportFilter): ReportFilter {
    if (isStaff(actor)) return filter;
    if (actor.role !== 'contact' || !actor.organizationId)
      throw forbidden('Reports are for staff and for an organization’s designated contacts.');
    if (filter.organizationId && filter.organizationId !== actor.organizationId)
      throw forbidden('A contact sees the report of their own organization only.');
    // A contact's view is their organization's tickets, whoever handled them.
    return { ...filter, organizationId: actor.organizationId, agentId: undefined };
  }

  /** Tickets opened in the period per tag: staff only, as tags are the desk's own. */
  async tags(actor: Principal, filter: ReportFilter) {
    if (!isStaff(actor)) throw forbidden('The tags report is for staff.');
    const counts = await this.deps.repo.ticketsPerTag(filter);
    return { from: toIso(filter.from), to: toIso(filter.to), ...counts };
  }

  /**
   * The measured table. Every ticket of a cell counts: an unanswered one has already waited its age
   * on the target's clock, which its first response can only exceed. The median and its interval are
   * Kaplan–Meier's (see stats.ts), and the cell's status says whether the tickets already decide it.
   */
  async responseTimes(filter: ReportFilter) {
    const now = this.deps.clock();
    const version = await this.deps.policy.inForceAt(Math.min(filter.to - 1, now));
    const [counts, unanswered] = await Promise.all([
      this.deps.repo.cellCounts(filter, now),
      this.deps.repo.unanswered(filter),
    ]);
    const ages = await unansweredAges(unanswered, now, this.terms, this.deps.repo.db);
    const tiers = filter.tier ? [filter.tier as Tier] : [...TIERS];
    const cells = tiers.flatMap((tier) =>
      PRIORITIES.map((priority) => {
        const key = `${tier}|${priority}`;
        const count = counts.find((c) => c.tier === tier && c.priority === priority);
        const term = termsOf(version, tier, priority, undefined).firstResponse;
        const plan = planCell({
          key,
          answered: count?.answered ?? 0,
          fastest: count?.fastest ?? null,
          slowest: count?.slowest ?? null,
          ages: ages.get(key) ?? [],
        });
        return { tier, priority, count, term, plan };
      }),
    );
    const figures = await this.figures(
      filter,
      cells.map((c) => ({ plan: c.plan, targetMs: c.term.minutes * 60_000 })),
    );
    return {
      from: toIso(filter.from),
      to: toIso(filter.to),
      filters: {
        tier: filter.tier ?? null,
        organizationId: filter.organizationId ?? null,
        channel: filter.channel ?? null,
        agentId: filter.agentId ?? null,
      },
      minimumSample: this.deps.minimumSample,
      confidence: CONFIDENCE,
      policyVersion: version.version,
      cells: cells.map(({ tier, priority, count, term }, i): ResponseTimeCell => {
        const f = figures[i]!;
        const judged = f.answered + (count?.overdue ?? 0);
        return {
          tier,
          priority,
          count: f.answered,
          pending: f.unanswered,
          answered: f.answered,
          unanswered: f.unanswered,
          unansweredPastTarget: count?.overdue ?? 0,
          median: sOrNull(f.median),
          medianAtLeast: sOrNull(f.medianAtLeast),
          p90: sOrNull(f.p90),
          target: term.minutes * 60,
          clock: term.clock,
          medianStatus: f.medianStatus,
          medianMet: f.medianStatus === 'met' ? true : f.medianStatus === 'missed' ? false : null,
          shareMet: judged === 0 ? null : (count?.met ?? 0) / judged,
          ci: f.ci && { low: s(f.ci.low), high: sOrNull(f.ci.high) },
          lowSample: f.answered + f.unanswered < this.deps.minimumSample,
        };
      }),
    };
  }

  /**
   * The cells' figures: one query places the unanswered tickets among the answered and reads the
   * ranks the plans bound; should a figure need a rank outside them, a second reads just those.
   */
  private async figures(
    filter: ReportFilter,
    cells: { plan: CellPlan; targetMs: number }[],
  ): Promise<CellFigures[]> {
    const ranks = await this.deps.repo.firstResponseRanks(
      filter,
      cells.map((c) => c.plan.request),
    );
    const missing: { key: string; ranks: number[] }[] = [];
    const first = cells.map(({ plan, targetMs }) => {
      try {
        return finishCell(plan, ranks.get(plan.request.key), targetMs);
      } catch (error) {
        if (!(error instanceof MissingRanks)) throw error;
        missing.push({ key: plan.request.key, ranks: error.ranks });
        return null;
      }
    });
    if (missing.length === 0) return first as CellFigures[];
    const more = await this.deps.repo.firstResponseRanks(
      filter,
      missing.map((m) => ({ key: m.key, ages: [], ranks: m.ranks.map((r) => ({ from: r, to: r })) })),
    );
    return cells.map(({ plan, targetMs }, i) => {
      const done = first[i];
      if (done) return done;
      const key = plan.request.key;
      const had = ranks.get(key);
      const extra = more.get(key);
      const merged: CellRanks = {
        answeredUpTo: had?.answeredUpTo ?? new Map(),
        times: new Map([...(had?.times ?? []), ...(extra?.times ?? [])]),
      };
      return finishCell(plan, merged, targetMs);
    });
  }

  /** Week by week (weeks start Monday 00:00 in the policy's time zone), and this month's cells at risk. */
  async trend(filter: ReportFilter) {
    const now = this.deps.clock();
    const version = await this.deps.policy.inForceAt(Math.min(filter.to - 1, now));
    const zone = version.policy.support.timeZone;
    const weeks: { weekStart: string; cells: Omit<ResponseTimeCell, 'ci' | 'lowSample' | 'pending'>[] }[] =
      [];
    const starts = weekStarts(zone, filter.from, filter.to);
    for (let i = 0; i < starts.length; i++) {
      const week = {
        ...filter,
        from: Math.max(starts[i]!, filter.from),
        to: Math.min(starts[i + 1] ?? filter.to, filter.to),
      };
      const report = await this.responseTimes(week);
      weeks.push({
        weekStart: toIso(starts[i]!),
        cells: report.cells.map(({ ci: _ci, lowSample: _low, pending: _pending, ...cell }) => cell),
      });
    }
    const monthStart = localMonthStart(zone, Math.min(filter.to - 1, now));
    const month = await this.deps.repo.cellCounts(
      { ...filter, from: monthStart, to: Math.min(filter.to, now + 1) },
      now,
    );
    const monthLabel = toIso(monthStart + 12 * 3600_000).slice(0, 7);
    const atRisk = month
      .map((c) => {
        const missed = c.answered - c.met + c.overdue;
        return {
          tier: c.tier,
          priority: c.priority,
          month: monthLabel,
          count: c.opened,
          missed,
          missedShare: c.opened === 0 ? 0 : missed / c.opened,
        };
      })
      .filter((c) => c.count > 0 && c.missedShare > AT_RISK_SHARE);
    return { weeks, atRisk };
  }

  /** Each P0: updates every 30 minutes (gaps over the cadence, the longest), and escalations on time. */
  async p0(filter: ReportFilter, limit: number, cursor: { k: number; id: string } | undefined) {
    const now = this.deps.clock();
    const version = await this.deps.policy.inForceAt(Math.min(filter.to - 1, now));
    const cadenceMs = version.policy.p0.updateEvery.minutes * 60_000;
    const rows = await this.deps.repo.p0Page(filter, limit, cursor);
    const page = rows.slice(0, limit);
    const ids = page.map((r) => r.id);
    const [replies, escalations] = await Promise.all([
      this.deps.repo.publicStaffReplies(ids),
      this.deps.repo.escalations(ids),
    ]);
    const data = page.map((t) => {
      const times = replies.filter((r) => r.ticket_id === t.id).map((r) => r.created_at);
      // Updates are owed from the first response until resolution (or now, while it is open).
      const end = t.resolved_at ?? now;
      const gaps: number[] = [];
      for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
      if (times.length > 0 && end > times.at(-1)!) gaps.push(end - times.at(-1)!);
      const over = gaps.filter((g) => g > cadenceMs);
      return {
        ticketId: t.id,
        number: t.number,
        subject: t.subject,
        organizationId: t.organization_id,
        organization: t.organization,
        openedAt: toIso(t.created_at),
        resolvedAt: t.resolved_at === null ? null : toIso(t.resolved_at),
        updates: Math.max(0, times.length - 1),
        gapsOver30: over.length,
        longestGapSeconds: gaps.length === 0 ? null : s(Math.max(...gaps)),
        escalations: escalations
          .filter((e) => e.ticket_id === t.id)
          .map((e) => ({
            level: e.level ?? 0,
            dueAt: toIso(e.due_at),
            firedAt: toIso(e.fired_at),
            // The scheduler looks every minute: an escalation recorded within five is on time.
            onTime: e.fired_at - e.due_at <= 5 * 60_000,
          })),
      };
    });
    const last = page.at(-1);
    return {
      data,
      nextCursor: rows.length > limit && last ? { k: last.created_at, id: last.id } : null,
    };
  }

  /** Time to resolution per priority (calendar time), in buckets, and P3 fixes shipped in a release. */
  async resolution(filter: ReportFilter) {
    const bounds = [3600_000, 4 * 3600_000, DAY, 3 * DAY, 7 * DAY, 30 * DAY];
    const [buckets, counts, p3] = await Promise.all([
      this.deps.repo.resolutionBuckets(filter, bounds),
      this.deps.repo.measuredCounts(filter, 'resolution', ['priority']),
      this.deps.repo.p3Fixes(filter),
    ]);
    const quantiles = await this.deps.repo.quantiles(
      filter,
      'resolution',
      ['priority'],
      [...counts].map(([key, n]) => ({ key, n, ranks: [] })),
    );
    return {
      priorities: PRIORITIES.map((priority) => {
        const row = buckets.find((b) => b.priority === priority);
        const q = quantiles.get(priority);
        return {
          priority,
          count: row?.n ?? 0,
          median: sOrNull(q?.median),
          p90: sOrNull(q?.p90),
          buckets: [...bounds, null].map((bound, i) => ({
            upToSeconds: bound === null ? null : s(bound),
            count: row?.counts[i] ?? 0,
          })),
        };
      }),
      p3: {
        resolved: p3.resolved,
        fixedInRelease: p3.fixed,
        share: p3.resolved === 0 ? null : p3.fixed / p3.resolved,
      },
    };
  }
}

/** The UTC instant of a local midnight (day number in the zone's calendar). */
function localMidnight(zone: string, day: number): number {
  const clock = zoneClock(zone);
  const wall = day * DAY;
  const guess = wall - clock.offsetAt(wall);
  return wall - clock.offsetAt(guess);
}

function localDay(zone: string, at: number): number {
  return Math.floor((at + zoneClock(zone).offsetAt(at)) / DAY);
}

/** The Mondays (local midnight) of the weeks that overlap [from, to). */
export function weekStarts(zone: string, from: number, to: number): number[] {
  const first = localDay(zone, from);
  // weekdayOfDay: 0 = Sunday … 6 = Saturday.
  let monday = first - ((weekdayOfDay(first) + 6) % 7);
  const out: number[] = [];
  for (; out.length < 60; monday += 7) {
    const start = localMidnight(zone, monday);
    if (start >= to) break;
    out.push(start);
  }
  return out;
}

function localMonthStart(zone: string, at: number): number {
  const { year, month } = civilFromDays(localDay(zone, at));
  return localMidnight(zone, daysFromCivil(year, month, 1));
}
