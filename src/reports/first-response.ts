/**
 * One cell of the response-time table, counting every ticket: the answered ones with their
 * first-response time, the unanswered ones with their age on the target's clock, which their
 * response time can only exceed. Pure: the database's part is a request (where do these ages fall
 * among the answered tickets, and which times sit at these ranks), planned here and answered by
 * ReportsRepository.firstResponseRanks.
 */
import {
  KM_MEDIAN,
  KM_MEDIAN_HIGH,
  KM_MEDIAN_LOW,
  KM_P90,
  crossingRanks,
  crossingValue,
  interpolate,
  kaplanMeierCrossings,
  kaplanMeierRankWindows,
  percentileRanks,
  Z_95,
  type KmCrossing,
} from './stats.js';

/**
 * How the cell's median stands against its target, from what is already certain: met when it would
 * be met even if no unanswered ticket were ever answered; missed when it would be missed even if
 * every one were answered this instant; otherwise not yet known.
 */
export type MedianStatus = 'met' | 'missed' | 'unknown' | 'no_tickets';

/** A cell's tickets: the answered ones as the database counted them, the unanswered ones' ages. */
export interface CellSample {
  key: string;
  answered: number;
  /** The fastest and slowest first response (ms on the clock); null without answers. */
  fastest: number | null;
  slowest: number | null;
  /** Each unanswered ticket's age on its target's clock (ms), ascending. */
  ages: readonly number[];
}

/** A range of answered ranks (1-based, inclusive) whose times a cell needs. */
export interface RankRange {
  from: number;
  to: number;
}

/** What a cell asks the database: where these ages fall among its answered tickets, and these ranks' times. */
export interface CellRequest {
  key: string;
  ages: number[];
  ranks: RankRange[];
}

/** The database's answer: for each age, how many answered tickets took at most that long; times by rank. */
export interface CellRanks {
  answeredUpTo: ReadonlyMap<number, number>;
  times: ReadonlyMap<number, number>;
}

export interface CellPlan {
  sample: CellSample;
  /** How many answered tickets took at most each age, where the counts already tell (else null). */
  placed: (number | null)[];
  request: CellRequest;
}

export interface CellFigures {
  answered: number;
  unanswered: number;
  /** Kaplan–Meier median (ms); null when fewer than half are answered before the rest's ages. */
  median: number | null;
  p90: number | null;
  /** Brookmeyer–Crowley 95% interval of the median; `high` null when the data do not bound it. */
  ci: { low: number; high: number | null } | null;
  /** The least the median of these tickets can still be: unanswered tickets taken at their age. */
  medianAtLeast: number | null;
  medianStatus: MedianStatus;
}

const QUANTILES = [KM_MEDIAN, KM_P90, KM_MEDIAN_LOW, KM_MEDIAN_HIGH];

/** Merges overlapping or touching ranges. */
function mergeRanges(ranges: RankRange[]): RankRange[] {
  const sorted = ranges.filter((r) => r.from <= r.to).sort((a, b) => a.from - b.from);
  const out: RankRange[] = [];
  for (const range of sorted) {
    const last = out.at(-1);
    if (last && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
    else out.push({ ...range });
  }
  return out;
}

/**
 * Which ranks and placements a cell needs. An age below the fastest answer precedes them all and an
 * age at or above the slowest follows them all, so only ages in between go to the database; the
 * Kaplan–Meier quantiles are then bounded to windows of ranks as wide as those ages are many.
 */
export function planCell(sample: CellSample, z = Z_95): CellPlan {
  const { answered, fastest, slowest, ages } = sample;
  const placed = ages.map((age) => {
    if (answered === 0 || fastest === null || slowest === null || age < fastest) return 0;
    return age >= slowest ? answered : null;
  });
  const unplacedAges = ages.filter((_, i) => placed[i] === null);
  const known = placed.filter((p): p is number => p !== null);
  const ranges: RankRange[] = [];
  if (answered > 0) {
    for (const window of kaplanMeierRankWindows(answered, known, unplacedAges.length, QUANTILES, z))
      if (window) ranges.push(window);
    const total = answered + ages.length;
    const middle = percentileRanks(total, 0.5);
    // The median's upper bound reads the answered ticket at the middle ranks (the unanswered last).
    for (const rank of [middle.lower, middle.upper])
      if (rank <= answered) ranges.push({ from: rank, to: rank });
    // Its lower bound reads the middle of every ticket, the unanswered at their ages: an answered
    // rank shifted by the unanswered before it, at least those below every answer and at most those
    // not above every answer.
    const before = known.filter((p) => p === 0).length;
    const notAfter = ages.length - known.filter((p) => p === answered).length;
    for (const rank of [middle.lower, middle.upper])
      ranges.push({ from: Math.max(1, rank - notAfter), to: Math.min(answered, rank - before) });
  }
  return { sample, placed, request: { key: sample.key, ages: unplacedAges, ranks: mergeRanges(ranges) } };
}

/** The answered ranks a cell's figures read but the database has not returned yet. */
export class MissingRanks extends Error {
  constructor(readonly ranks: number[]) {
    super(`answered ranks not fetched: ${ranks.join(', ')}`);
  }
}

/**
 * The cell's figures from the database's answer, against the cell's target (ms). Throws MissingRanks
 * when a figure reads a rank outside the planned windows (which the windows are built to prevent).
 */
export function finishCell(plan: CellPlan, ranks: CellRanks | undefined, targetMs: number): CellFigures {
  const { answered, ages } = plan.sample;
  const total = answered + ages.length;
  if (total === 0)
    return {
      answered: 0,
      unanswered: 0,
      median: null,
      p90: null,
      ci: null,
      medianAtLeast: null,
      medianStatus: 'no_tickets',
    };
  const eventsBefore = ages.map((age, i) => {
    const placed = plan.placed[i] ?? ranks?.answeredUpTo.get(age);
    if (placed === undefined || placed === null) throw new Error(`age ${age} was not placed`);
    return placed;
  });
  const missing = new Set<number>();
  const timeAt = (rank: number) => {
    const time = ranks?.times.get(rank);
    if (time === undefined) {
      missing.add(rank);
      return Number.NaN;
    }
    return time;
  };
  const read = (c: KmCrossing | null) => (c ? crossingValue(c, timeAt) : null);

  const [median, p90, low, high] = kaplanMeierCrossings({ events: answered, eventsBefore }, QUANTILES).map(
    (c) => {
      if (c) crossingRanks(c).forEach(timeAt);
      return read(c);
    },
  );
  const middle = percentileRanks(total, 0.5);
  // Unanswered tickets counted as never answered: the most the median can still be.
  const atMost = interpolate(
    middle.lower <= answered ? timeAt(middle.lower) : Number.POSITIVE_INFINITY,
    middle.upper <= answered ? timeAt(middle.upper) : Number.POSITIVE_INFINITY,
    middle.weight,
  );
  // Unanswered tickets counted at their ages: the least it can be. In the merged order the j-th
  // unanswered ticket (0-based) comes after the eventsBefore[j] answered tickets at most its age.
  const mergedAt = (position: number) => {
    let lo = 0;
    let hi = ages.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (eventsBefore[mid]! + mid + 1 < position) lo = mid + 1;
      else hi = mid;
    }
    if (lo < ages.length && eventsBefore[lo]! + lo + 1 === position) return ages[lo]!;
    return timeAt(position - lo);
  };
  const atLeast = interpolate(mergedAt(middle.lower), mergedAt(middle.upper), middle.weight);
  if (missing.size > 0) throw new MissingRanks([...missing].sort((a, b) => a - b));

  return {
    answered,
    unanswered: ages.length,
    median: median ?? null,
    p90: p90 ?? null,
    ci: low === null || low === undefined ? null : { low, high: high ?? null },
    medianAtLeast: atLeast,
    medianStatus: atMost <= targetMs ? 'met' : atLeast > targetMs ? 'missed' : 'unknown',
  };
}
