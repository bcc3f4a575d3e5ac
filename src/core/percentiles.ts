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

/**
 * Median and p90 of unsorted values by nearest rank, as medianAndP90, without sorting: the value at
 * each rank is found by selection (quickselect on a copy), linear time instead of n log n, the same
 * answer.
 */
export function medianAndP90BySelection(values: ArrayLike<number>): { median: number | null; p90: number | null; count: number } {
  const n = values.length;
  if (n === 0) return { median: null, p90: null, count: 0 };
  // One native copy (typed arrays and arrays alike), not an element-by-element read of any ArrayLike.
  const work = new Float64Array(values);
  const rankIndex = (p: number) => Math.min(Math.max(1, Math.ceil((p * n) / 100)), n) - 1;
  const median = selectKth(work, rankIndex(50), 0);
  // Everything from the median's index on is ≥ it: p90 lies there.
  const p90 = selectKth(work, rankIndex(90), rankIndex(50));
  return { median, p90, count: n };
}

/** Reorder a[lo..] so a[k] holds the value an ascending sort would put there; return it (Hoare's selection). */
function selectKth(a: Float64Array, k: number, lo: number): number {
  let l = lo,
    r = a.length - 1;
  while (r > l) {
    const pivot = a[(l + r) >> 1]!;
    let i = l,
      j = r;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else break;
  }
  return a[k]!;
}
