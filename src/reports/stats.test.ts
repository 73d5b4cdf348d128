import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KM_MEDIAN,
  KM_MEDIAN_HIGH,
  KM_MEDIAN_LOW,
  KM_P90,
  kaplanMeierCrossings,
  kaplanMeierCurve,
  kaplanMeierRankWindows,
  kaplanMeierSummary,
  percentileCont,
  percentileRanks,
  rankObservations,
  type Observation,
} from './stats.js';

describe('percentiles as PostgreSQL percentile_cont computes them', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even count', () => {
    expect(percentileCont([10, 20, 30], 0.5)).toBe(20);
    expect(percentileCont([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentileCont([7], 0.5)).toBe(7);
    expect(percentileCont([], 0.5)).toBeNull();
  });

  it('interpolates p90 linearly: 10 values 1..10 give 9.1', () => {
    expect(percentileCont([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(percentileRanks(10, 0.9)).toEqual({ lower: 9, upper: 10, weight: expect.closeTo(0.1, 10) });
  });

  it('stays between the smallest and largest value, and is monotone in p', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 60 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const p50 = percentileCont(sorted, 0.5)!;
        const p90 = percentileCont(sorted, 0.9)!;
        expect(p50).toBeGreaterThanOrEqual(sorted[0]!);
        expect(p90).toBeLessThanOrEqual(sorted.at(-1)!);
        expect(p90).toBeGreaterThanOrEqual(p50);
      }),
    );
  });
});

/** Answered at `time`, or (with a +) still unanswered at that age. */
const obs = (...items: (number | `${number}+`)[]): Observation[] =>
  items.map((item) =>
    typeof item === 'number'
      ? { time: item, answered: true }
      : { time: Number(item.slice(0, -1)), answered: false },
  );

/**
 * The textbook estimator, written the textbook way as a reference: at each distinct answered time t,
 * n tickets at risk (time ≥ t, answered or not) and d answered; S = Π (1 − d/n); Greenwood's
 * variance S² Σ d / (n (n − d)).
 */
function textbookKaplanMeier(observations: readonly Observation[]) {
  const times = [...new Set(observations.filter((o) => o.answered).map((o) => o.time))].sort((a, b) => a - b);
  let survival = 1;
  let sum = 0;
  return times.map((time) => {
    const atRisk = observations.filter((o) => o.time >= time).length;
    const answered = observations.filter((o) => o.answered && o.time === time).length;
    survival *= 1 - answered / atRisk;
    sum += atRisk === answered ? Number.POSITIVE_INFINITY : answered / (atRisk * (atRisk - answered));
    return { time, atRisk, answered, survival, variance: survival === 0 ? Number.NaN : survival ** 2 * sum };
  });
}

/** The first time a curve of (S, se) comes to 0.5 or below, the textbook way. */
function textbookQuantile(
  observations: readonly Observation[],
  curve: (s: number, se: number) => number,
  level = 0.5,
): number | null {
  const steps = textbookKaplanMeier(observations);
  const at = steps.findIndex((s) => curve(s.survival, Math.sqrt(s.variance || 0)) <= level + 1e-9);
  if (at < 0) return null;
  const here = steps[at]!;
  // Exactly on the level: halfway to the next answered time, if there is one.
  if (Math.abs(curve(here.survival, Math.sqrt(here.variance || 0)) - level) < 1e-9) {
    const next = steps[at + 1];
    return next ? (here.time + next.time) / 2 : null;
  }
  return here.time;
}

describe('the Kaplan–Meier estimator, in ranks', () => {
  /**
   * Freireich's 6-MP arm (Gehan 1965; the example of Kleinbaum & Klein and of R's survival
   * tutorials): weeks in remission, + for still in remission. Three relapses at 6 share the time of a
   * censored patient, and 10 too: the censored ones are still at risk at that time.
   */
  const sixMp = obs(
    6,
    6,
    6,
    '6+',
    7,
    '9+',
    10,
    '10+',
    '11+',
    13,
    16,
    '17+',
    '19+',
    '20+',
    22,
    23,
    '25+',
    '32+',
    '32+',
    '34+',
    '35+',
  );

  it('gives the published curve of the 6-MP arm, ties and censoring at an event time included', () => {
    const curve = kaplanMeierCurve(sixMp);
    // time  n.risk  n.event  survival  std.err (R: summary(survfit(Surv(time, status) ~ 1)))
    //    6      21        3     0.857   0.0764
    //    7      17        1     0.807   0.0869
    //   10      15        1     0.753   0.0963
    //   13      12        1     0.690   0.1068
    //   16      11        1     0.627   0.1141
    //   22       7        1     0.538   0.1282
    //   23       6        1     0.448   0.1346
    const published = [
      [6, 21, 3, 0.857, 0.0764],
      [7, 17, 1, 0.807, 0.0869],
      [10, 15, 1, 0.753, 0.0963],
      [13, 12, 1, 0.69, 0.1068],
      [16, 11, 1, 0.627, 0.1141],
      [22, 7, 1, 0.538, 0.1282],
      [23, 6, 1, 0.448, 0.1346],
    ] as const;
    expect(curve).toHaveLength(published.length);
    published.forEach(([time, atRisk, answered, survival, se], i) => {
      const step = curve[i]!;
      expect(step).toMatchObject({ time, atRisk, answered });
      expect(step.survival).toBeCloseTo(survival, 3);
      expect(Math.sqrt(step.variance)).toBeCloseTo(se, 4);
    });
    // Exactly: S(6) = 18/21, S(7) = 18/21 · 16/17.
    expect(curve[0]!.survival).toBeCloseTo(18 / 21, 12);
    expect(curve[1]!.survival).toBeCloseTo((18 / 21) * (16 / 17), 12);
  });

  it('reads the 6-MP median, 23 weeks, and its Brookmeyer–Crowley interval from 13 weeks, unbounded above', () => {
    // Lower band S − 1.96·se: 0.753 − 0.189 = 0.564 at 10 weeks, 0.690 − 0.209 = 0.481 at 13: the
    // interval starts at 13. The upper band S + 1.96·se is still 0.448 + 0.264 = 0.712 at the last
    // relapse, 23 weeks: no upper end. The curve never reaches 0.1: no 90th percentile.
    expect(kaplanMeierSummary(sixMp)).toEqual({ median: 23, p90: null, low: 13, high: null });
  });

  it('is percentile_cont when every ticket is answered: the mean of the two middle values of an even count', () => {
    expect(kaplanMeierSummary(obs(10, 20, 30, 100)).median).toBe(25);
    expect(kaplanMeierSummary(obs(5, 10, 15, 20, 30, 45, 200)).median).toBe(20);
    // Ties in the middle: S goes from 3/4 straight to 1/4 at 2.
    expect(kaplanMeierSummary(obs(1, 2, 2, 3)).median).toBe(2);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 40 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        expect(kaplanMeierSummary(obs(...values)).median).toBeCloseTo(percentileCont(sorted, 0.5)!, 9);
      }),
    );
  });

  it('drops an unanswered ticket from those at risk after its age, and reads halfway on a flat half', () => {
    // 1, 2+, 3, 4, 5+: S = 4/5 after 1; at 3, three at risk: 4/5 · 2/3 = 0.533; at 4, two: 0.267.
    expect(kaplanMeierSummary(obs(1, '2+', 3, 4, '5+')).median).toBe(4);
    // 1, 2, 3+, 4: S = 3/4, then 3/4 · 2/3 = 1/2 exactly at 2, flat until 4: the median is 3.
    expect(kaplanMeierSummary(obs(1, 2, '3+', 4)).median).toBe(3);
    // One half answered at 5, the other still waiting: S sits on 1/2 to the end, the median is unknown.
    expect(kaplanMeierSummary(obs(5, '14400+')).median).toBeNull();
  });

  it('has no median while more than half are still waiting longer than every answer', () => {
    // 4 answered in 5 minutes, 5 waiting 10 business days: S = 5/9 after 5 minutes, and stays.
    const summary = kaplanMeierSummary(
      obs(300, 300, 300, 300, ...Array.from({ length: 5 }, () => '288000+' as const)),
    );
    expect(summary.median).toBeNull();
    // The lower band reaches one half: S − 1.96·√(S² · 4/(9·5)) = 0.556 − 0.325 < 0.5, at 5 minutes.
    expect(summary.low).toBe(300);
    expect(summary.high).toBeNull();
  });

  it('agrees with the textbook computation on any data, ties and censoring included', () => {
    const observation = fc.record({ time: fc.integer({ min: 1, max: 12 }), answered: fc.boolean() });
    fc.assert(
      fc.property(fc.array(observation, { minLength: 1, maxLength: 40 }), (observations) => {
        const reference = textbookKaplanMeier(observations);
        const curve = kaplanMeierCurve(observations);
        expect(curve.map((s) => [s.time, s.atRisk, s.answered])).toEqual(
          reference.map((s) => [s.time, s.atRisk, s.answered]),
        );
        curve.forEach((s, i) => {
          expect(s.survival).toBeCloseTo(reference[i]!.survival, 12);
          if (s.survival > 0) expect(s.variance).toBeCloseTo(reference[i]!.variance, 12);
        });
        const z = 1.959963984540054;
        const summary = kaplanMeierSummary(observations);
        expect(summary.median).toBe(textbookQuantile(observations, (s) => s));
        expect(summary.p90).toBe(textbookQuantile(observations, (s) => s, 0.1));
        expect(summary.low).toBe(
          textbookQuantile(observations, (s, se) => (s > 0 ? Math.max(0, s - z * se) : 0)),
        );
        // The upper band can rise again where two or three tickets are left at risk; read by rank, a
        // tie there can end the interval one answer early, so it is compared on distinct times.
        const answeredTimes = observations.filter((o) => o.answered).map((o) => o.time);
        if (new Set(answeredTimes).size === answeredTimes.length)
          expect(summary.high).toBe(
            textbookQuantile(observations, (s, se) => (s > 0 ? Math.min(1, s + z * se) : 0)),
          );
      }),
      { numRuns: 300 },
    );
  });

  it('bounds each quantile’s rank before the unanswered tickets are placed among the answered', () => {
    const quantiles = [KM_MEDIAN, KM_P90, KM_MEDIAN_LOW, KM_MEDIAN_HIGH];
    const observation = fc.record({ time: fc.integer({ min: 1, max: 30 }), answered: fc.boolean() });
    fc.assert(
      fc.property(
        fc.array(observation, { minLength: 1, maxLength: 60 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        (observations, knownMask) => {
          const { sample } = rankObservations(observations);
          const known = sample.eventsBefore.filter((_, i) => knownMask[i]);
          const unplaced = sample.eventsBefore.length - known.length;
          const windows = kaplanMeierRankWindows(sample.events, known, unplaced, quantiles);
          kaplanMeierCrossings(sample, quantiles).forEach((crossing, i) => {
            if (!crossing) return;
            const window = windows[i];
            expect(window).not.toBeNull();
            expect(crossing.rank).toBeGreaterThanOrEqual(window!.from);
            expect(crossing.rank + (crossing.halfwayToNext ? 1 : 0)).toBeLessThanOrEqual(window!.to);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('needs only a few ranks when every unanswered ticket is placed', () => {
    // 1,000 answered, 50 unanswered placed after all of them: the median is read at rank 525 or 526.
    const [median] = kaplanMeierRankWindows(
      1000,
      Array.from({ length: 50 }, () => 1000),
      0,
      [KM_MEDIAN],
    );
    expect(median!.to - median!.from).toBeLessThanOrEqual(1);
  });
});
