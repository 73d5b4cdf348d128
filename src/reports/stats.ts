/**
 * The statistics of the response-time report, as pure functions of counts: which order statistics a
 * percentile or a confidence interval needs, and how they combine. The database hands back only the
 * values at those ranks.
 */

/** The 1-based ranks percentile_cont(p) reads among n sorted values, and the weight of the upper one. */
export function percentileRanks(n: number, p: number): { lower: number; upper: number; weight: number } {
  const position = p * (n - 1);
  const lower = Math.floor(position);
  return { lower: lower + 1, upper: Math.ceil(position) + 1, weight: position - lower };
}

/** percentile_cont from the values at its ranks: linear interpolation between the two. */
export function interpolate(lowerValue: number, upperValue: number, weight: number): number {
  return lowerValue + weight * (upperValue - lowerValue);
}

/** percentile_cont(p) of sorted values (for tests and small in-memory sets). */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const { lower, upper, weight } = percentileRanks(sorted.length, p);
  return interpolate(sorted[lower - 1]!, sorted[upper - 1]!, weight);
}

/**
 * The exact, distribution-free confidence interval of a median from order statistics: the ranks
 * (l, n - l + 1) with the largest l such that P(Binomial(n, 1/2) < l) ≤ (1 - confidence) / 2. Its
 * coverage is at least `confidence`. Null when n is too small for any such interval (n < 6 at 95%).
 */
export function medianIntervalRanks(n: number, confidence = 0.95): { low: number; high: number } | null {
  if (n <= 0) return null;
  const tail = (1 - confidence) / 2;
  // Binomial(n, 1/2) probabilities in log space: 2^-n underflows beyond n = 1074.
  let logTerm = -n * Math.LN2;
  let cumulative = 0;
  let l = 0;
  for (let k = 0; k < n; k++) {
    const next = cumulative + Math.exp(logTerm);
    if (next > tail) break;
    cumulative = next;
    l = k + 1;
    logTerm += Math.log(n - k) - Math.log(k + 1);
  }
  if (l === 0) return null;
  return { low: l, high: n - l + 1 };
}
