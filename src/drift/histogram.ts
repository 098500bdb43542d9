// Fixed-edge histograms for drift: cut points taken from a reference sample's quantiles, then counts of any sample.

/**
 * Interior cut points at the reference's 1/bins … (bins-1)/bins quantiles (nearest-rank on the sorted values), with
 * repeats dropped: a signal with many equal values (token share 0, whole token counts) gets fewer, wider bins rather
 * than empty ones.
 */
export function quantileEdges(values: readonly number[], bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`bins must be an integer ≥ 2, got ${bins}`);
  const sorted = finiteSorted(values);
  if (sorted.length === 0) return [];
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = sorted[Math.min(sorted.length - 1, Math.ceil((k / bins) * sorted.length) - 1)];
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  // A last edge at the maximum would leave the top bin for values above every reference value only: always empty.
  if (edges.length > 0 && edges[edges.length - 1] >= sorted[sorted.length - 1]) edges.pop();
  return edges;
}

/** Counts per bin: bin 0 is (-∞, edges[0]], bin i is (edges[i-1], edges[i]], the last is (edges[n-1], ∞). */
export function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    let lo = 0;
    let hi = edges.length;
    // First edge ≥ v: that bin holds v.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] >= v) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]++;
  }
  return counts;
}

/** Counts per category, in the order given; values outside the list are counted under `other` when it is given. */
export function categoryCounts(values: readonly string[], categories: readonly string[]): number[] {
  const at = new Map(categories.map((c, i) => [c, i]));
  const counts = new Array<number>(categories.length).fill(0);
  for (const v of values) {
    const i = at.get(v);
    if (i !== undefined) counts[i]++;
  }
  return counts;
}

/** Evenly spaced order statistics of at most `max` values (all of them when fewer): what KS is computed against. */
export function sampleQuantiles(values: readonly number[], max: number): number[] {
  const sorted = finiteSorted(values);
  if (sorted.length <= max) return sorted;
  return Array.from({ length: max }, (_, k) => sorted[Math.round((k * (sorted.length - 1)) / (max - 1))]);
}

function finiteSorted(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
}
