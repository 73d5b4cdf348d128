import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianIntervalRanks, percentileCont, percentileRanks } from './stats.js';

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

describe('the exact confidence interval of a median', () => {
  it('has no 95% interval below six values', () => {
    for (const n of [0, 1, 2, 3, 4, 5]) expect(medianIntervalRanks(n)).toBeNull();
    // P(X < 1) = 2^-6 = 0.0156 ≤ 0.025: ranks 1 and 6.
    expect(medianIntervalRanks(6)).toEqual({ low: 1, high: 6 });
  });

  it('matches the published table: n = 10 → (2, 9), n = 20 → (6, 15), n = 100 → (40, 61)', () => {
    expect(medianIntervalRanks(10)).toEqual({ low: 2, high: 9 });
    expect(medianIntervalRanks(20)).toEqual({ low: 6, high: 15 });
    expect(medianIntervalRanks(100)).toEqual({ low: 40, high: 61 });
  });

  it('covers at least 95% and is the narrowest such symmetric interval', () => {
    const binomialBelow = (n: number, l: number) => {
      let logTerm = -n * Math.LN2;
      let sum = 0;
      for (let k = 0; k < l; k++) {
        sum += Math.exp(logTerm);
        logTerm += Math.log(n - k) - Math.log(k + 1);
      }
      return sum;
    };
    for (const n of [6, 7, 11, 25, 57, 300, 1001]) {
      const { low } = medianIntervalRanks(n)!;
      expect(1 - 2 * binomialBelow(n, low)).toBeGreaterThanOrEqual(0.95);
      expect(1 - 2 * binomialBelow(n, low + 1)).toBeLessThan(0.95);
    }
  });

  it('handles a million values without underflow, near n/2 ± 1.96·√n/2', () => {
    const { low, high } = medianIntervalRanks(1_000_000)!;
    expect(Math.abs(low - (500_000 - 980))).toBeLessThan(3);
    expect(high).toBe(1_000_000 - low + 1);
  });
});
