// The one percentile method of Tandem's KPIs: nearest rank on the sorted durations (no interpolation).
// Nearest rank always returns a duration that really happened, in exact seconds, and is cheap.

/**
 * The p-th percentile (0 < p ≤ 100) of ascending-sorted values by nearest rank:
 * the value at 1-based rank ceil(p/100 × n). Empty → null.
 * The median is p = 50, i.e. the lower middle value when n is even.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  // p × n first, then ÷ 100: for a whole p the rank is computed from exact integers.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Median and p90 of unsorted durations, both by nearest rank. */
export function medianAndP90(values: readonly number[]): { median: number | null; p90: number | null; count: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), count: sorted.length };
}

/** Median and p90 of values already sorted ascending (no copy), both by nearest rank. */
export function medianAndP90OfSorted(sorted: ArrayLike<number>): { median: number | null; p90: number | null; count: number } {
  return { median: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), count: sorted.length };
}
