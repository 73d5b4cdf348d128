/**
 * The statistics of the response-time report, as pure functions of counts and ranks: which order
 * statistics a percentile or a Kaplan–Meier quantile needs, and how they combine. The database hands
 * back only the values at those ranks.
 */

/** The 1-based ranks percentile_cont(p) reads among n sorted values, and the weight of the upper one. */
export function percentileRanks(n: number, p: number): { lower: number; upper: number; weight: number } {
  const position = p * (n - 1);
  const lower = Math.floor(position);
  return { lower: lower + 1, upper: Math.ceil(position) + 1, weight: position - lower };
}

/** percentile_cont from the values at its ranks: linear interpolation between the two. */
export function interpolate(lowerValue: number, upperValue: number, weight: number): number {
  // An infinite upper value (a ticket with no answer, counted as never) wins unless it has no weight.
  if (weight === 0) return lowerValue;
  return lowerValue + weight * (upperValue - lowerValue);
}

/** percentile_cont(p) of sorted values (for tests and small in-memory sets). */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const { lower, upper, weight } = percentileRanks(sorted.length, p);
  return interpolate(sorted[lower - 1]!, sorted[upper - 1]!, weight);
}

// ---------------------------------------------------------------------------------------------
// Kaplan–Meier, in ranks
//
// A ticket not answered yet has a first-response time that is at least its age on the target's
// clock: a right-censored value. The Kaplan–Meier estimator counts it among the tickets still
// waiting ("at risk") up to its age and drops it after, so that it neither vanishes (as in a median
// of the answered) nor is taken as answered now. Its curve S(t) is the estimated share of tickets
// still unanswered after t; the median is where S comes down to one half.
//
// The curve only moves at answered tickets, and how much depends only on how many tickets are still
// at risk there. So everything is computed from ranks: the answered tickets ranked 1…events by their
// time, and for each unanswered ticket the number of answered tickets that took no longer than it
// has waited. The times themselves are needed only at the few ranks where a quantile is read.
//
// The interval of the median is Brookmeyer and Crowley's (1982), with Greenwood's variance and no
// transform: the median's 95% interval runs from where the pointwise lower band S − z·se(S) comes
// down to one half to where the upper band S + z·se(S) does (as R's survival package reads
// quantiles of the confidence bands, with conf.type = "plain"). se(S) = S·√G, G being Greenwood's
// sum Σ d / (n (n − d)) over the answered times, n tickets at risk and d answered at each.
//
// Ties cost nothing in ranks: d tickets answered at the same time, taken one by one, multiply S by
// (n−1)/n · (n−2)/(n−1) ⋯ = (n−d)/n and add 1/(n−d) − 1/n = d / (n (n − d)) to G, exactly the
// grouped terms. An unanswered ticket whose age equals an answered time is still at risk at that
// time (it is counted after the answers), as the textbooks have it. The estimate and the lower band
// only come down, so reading them by rank inside a tie gives the tie's time. The upper band can rise
// again when two or three tickets are left at risk; there a tie can end the interval one answer
// earlier than the grouped computation would, in samples far too small to be judged anyway.

/** z of a two-sided 95% interval: the 97.5th percentile of the standard normal distribution. */
export const Z_95 = 1.959963984540054;

/**
 * How close a curve must come to a level to sit exactly on it. S is a product of up to a million
 * factors, whose rounding stays near 1e-10.
 */
const ON_LEVEL = 1e-9;

/** Which Kaplan–Meier curve a quantile is read from: the estimate or one side of its 95% band. */
export type KmCurve = 'survival' | 'lowerBand' | 'upperBand';

/** A quantile of a curve: the first time the curve comes down to `level`. */
export interface KmQuantile {
  curve: KmCurve;
  level: number;
}

export const KM_MEDIAN: KmQuantile = { curve: 'survival', level: 0.5 };
/** The 90th percentile: the time by which 90% are estimated answered. */
export const KM_P90: KmQuantile = { curve: 'survival', level: 0.1 };
/** The lower end of the median's interval: where the lower band reaches one half. */
export const KM_MEDIAN_LOW: KmQuantile = { curve: 'lowerBand', level: 0.5 };
/** The upper end of the median's interval: where the upper band reaches one half. */
export const KM_MEDIAN_HIGH: KmQuantile = { curve: 'upperBand', level: 0.5 };

/**
 * A cell's tickets in ranks: `events` answered tickets, and for each unanswered one (in ascending
 * order) how many answered tickets took at most its age.
 */
export interface RankedSample {
  events: number;
  eventsBefore: readonly number[];
}

/**
 * Where a quantile is read: the time of answered rank `rank`, or halfway between it and the next
 * when the curve sits exactly on the level until that next answer (so that without censoring the
 * median is percentile_cont's: the mean of the two middle values of an even count).
 */
export interface KmCrossing {
  rank: number;
  halfwayToNext: boolean;
}

/** The value of a curve from the survival S and Greenwood's sum G; bands clipped to [0, 1]. */
function curveValue(curve: KmCurve, survival: number, greenwood: number, z: number): number {
  if (curve === 'survival' || survival <= 0) return Math.max(0, survival);
  const halfWidth = z * Math.sqrt(greenwood);
  return curve === 'lowerBand'
    ? Math.max(0, survival * (1 - halfWidth))
    : Math.min(1, survival * (1 + halfWidth));
}

/** One step of the curve at an answered ticket with `atRisk` tickets still waiting. */
function step(atRisk: number): { factor: number; greenwood: number } {
  return {
    factor: (atRisk - 1) / atRisk,
    greenwood: atRisk > 1 ? 1 / (atRisk * (atRisk - 1)) : Number.POSITIVE_INFINITY,
  };
}

/**
 * Walks the Kaplan–Meier curve rank by rank and reports, for each quantile, where it is read; null
 * when the curve never comes down to the level (more tickets still waiting than the level leaves),
 * or only sits on it after the last answer (the quantile could then be anything later).
 */
export function kaplanMeierCrossings(
  sample: RankedSample,
  quantiles: readonly KmQuantile[],
  z = Z_95,
): (KmCrossing | null)[] {
  const { events, eventsBefore } = sample;
  const total = events + eventsBefore.length;
  const found: ({ rank: number; onLevel: boolean } | null)[] = quantiles.map(() => null);
  let left = quantiles.length;
  let survival = 1;
  let greenwood = 0;
  let censored = 0;
  for (let rank = 1; rank <= events && left > 0; rank++) {
    while (censored < eventsBefore.length && eventsBefore[censored]! < rank) censored++;
    const s = step(total - (rank - 1) - censored);
    survival *= s.factor;
    greenwood += s.greenwood;
    quantiles.forEach((q, i) => {
      if (found[i]) return;
      const value = curveValue(q.curve, survival, greenwood, z);
      if (value > q.level + ON_LEVEL) return;
      found[i] = { rank, onLevel: value >= q.level - ON_LEVEL };
      left--;
    });
  }
  return found.map((f) => {
    if (!f) return null;
    if (f.onLevel && f.rank === events) return null;
    return { rank: f.rank, halfwayToNext: f.onLevel };
  });
}

/** The value of a quantile from the times at its ranks. */
export function crossingValue(crossing: KmCrossing, timeAt: (rank: number) => number): number {
  const time = timeAt(crossing.rank);
  return crossing.halfwayToNext ? (time + timeAt(crossing.rank + 1)) / 2 : time;
}

/** The ranks whose times a crossing reads. */
export const crossingRanks = (c: KmCrossing): number[] => (c.halfwayToNext ? [c.rank, c.rank + 1] : [c.rank]);

/**
 * Before the database has placed every unanswered ticket among the answered ones, the ranks where
 * each quantile can fall (including the next rank, for the halfway convention); null when it cannot
 * fall anywhere. `knownBefore` are the unanswered tickets already placed (ascending eventsBefore);
 * `unplaced` more may each be anywhere.
 *
 * Every step's at-risk count lies between the count with all unplaced tickets after it and the count
 * with all before it, so S and Greenwood's sum lie between the two walks, and each curve (linear in
 * S and in √G) between its values at the corners: the first rank where the lowest corner reaches the
 * level bounds the crossing from below, the first where the highest does from above.
 */
export function kaplanMeierRankWindows(
  events: number,
  knownBefore: readonly number[],
  unplaced: number,
  quantiles: readonly KmQuantile[],
  z = Z_95,
): ({ from: number; to: number } | null)[] {
  const total = events + knownBefore.length + unplaced;
  const earliest: (number | null)[] = quantiles.map(() => null);
  const latest: (number | null)[] = quantiles.map(() => null);
  let sHigh = 1;
  let sLow = 1;
  let gLow = 0;
  let gHigh = 0;
  let placed = 0;
  let left = quantiles.length;
  for (let rank = 1; rank <= events && left > 0; rank++) {
    while (placed < knownBefore.length && knownBefore[placed]! < rank) placed++;
    const most = step(total - (rank - 1) - placed);
    const fewest = step(total - (rank - 1) - placed - unplaced);
    sHigh *= most.factor;
    gLow += most.greenwood;
    sLow *= fewest.factor;
    gHigh += fewest.greenwood;
    quantiles.forEach((q, i) => {
      if (latest[i] !== null) return;
      const corners = [
        curveValue(q.curve, sLow, gLow, z),
        curveValue(q.curve, sLow, gHigh, z),
        curveValue(q.curve, sHigh, gLow, z),
        curveValue(q.curve, sHigh, gHigh, z),
      ];
      if (earliest[i] === null && Math.min(...corners) <= q.level + ON_LEVEL) earliest[i] = rank;
      if (Math.max(...corners) <= q.level + ON_LEVEL) {
        latest[i] = rank;
        left--;
      }
    });
  }
  return quantiles.map((_, i) => {
    const from = earliest[i];
    if (from === null || from === undefined) return null;
    const to = latest[i];
    return { from, to: to === null || to === undefined ? events : Math.min(events, to + 1) };
  });
}

// ---------------------------------------------------------------------------------------------
// Kaplan–Meier on plain observations (tests, and small in-memory sets)

/** One ticket: its first-response time, or, unanswered, its age (a lower bound of that time). */
export interface Observation {
  time: number;
  answered: boolean;
}

/** The ranked form of observations: sorted answered times, and each unanswered one's place among them. */
export function rankObservations(observations: readonly Observation[]): {
  sample: RankedSample;
  times: number[];
} {
  const times = observations
    .filter((o) => o.answered)
    .map((o) => o.time)
    .sort((a, b) => a - b);
  const eventsBefore = observations
    .filter((o) => !o.answered)
    .map((o) => countAtMost(times, o.time))
    .sort((a, b) => a - b);
  return { sample: { events: times.length, eventsBefore }, times };
}

/** How many of the sorted values are at most `limit`. */
function countAtMost(sorted: readonly number[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface KmStep {
  time: number;
  atRisk: number;
  answered: number;
  survival: number;
  /** Greenwood's variance of the survival: S² · Σ d / (n (n − d)). */
  variance: number;
}

/** The Kaplan–Meier curve at each distinct answered time, from the same rank walk as the report. */
export function kaplanMeierCurve(observations: readonly Observation[]): KmStep[] {
  const { sample, times } = rankObservations(observations);
  const total = observations.length;
  const steps: KmStep[] = [];
  let survival = 1;
  let greenwood = 0;
  let censored = 0;
  for (let rank = 1; rank <= sample.events; rank++) {
    while (censored < sample.eventsBefore.length && sample.eventsBefore[censored]! < rank) censored++;
    const atRisk = total - (rank - 1) - censored;
    const s = step(atRisk);
    survival *= s.factor;
    greenwood += s.greenwood;
    const time = times[rank - 1]!;
    const last = steps.at(-1);
    if (last && last.time === time) {
      last.answered++;
      last.survival = survival;
      last.variance = survival * survival * greenwood;
    } else steps.push({ time, atRisk, answered: 1, survival, variance: survival * survival * greenwood });
  }
  return steps;
}

/** The median, its 95% interval and the 90th percentile of observations; null where not reached. */
export function kaplanMeierSummary(observations: readonly Observation[], z = Z_95) {
  const { sample, times } = rankObservations(observations);
  const timeAt = (rank: number) => times[rank - 1]!;
  const [median, p90, low, high] = kaplanMeierCrossings(
    sample,
    [KM_MEDIAN, KM_P90, KM_MEDIAN_LOW, KM_MEDIAN_HIGH],
    z,
  ).map((c) => (c ? crossingValue(c, timeAt) : null));
  return { median: median ?? null, p90: p90 ?? null, low: low ?? null, high: high ?? null };
}
