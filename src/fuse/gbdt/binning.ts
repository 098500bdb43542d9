// Maps feature values to at most 255 small-integer bins (bin 0 = missing) so split search scans histograms, not sorted values.
export type FeatureKind = 'numeric' | 'categorical';

/** Bin 0 holds missing (NaN) values; value v falls in bin 1 + (number of thresholds below v). */
export interface NumericBins {
  kind: 'numeric';
  thresholds: Float64Array;
}
/** Bins are the category codes themselves; code 0 is unknown/missing, and codes past the range fold into it. */
export interface CategoricalBins {
  kind: 'categorical';
  nCodes: number;
}
export type FeatureBins = NumericBins | CategoricalBins;

export const MISSING_BIN = 0;

export function binCount(bins: FeatureBins): number {
  return bins.kind === 'numeric' ? bins.thresholds.length + 2 : bins.nCodes;
}

/** Cut points between distinct values so each value bin holds about the same number of rows. */
export function quantileThresholds(values: ArrayLike<number>, maxValueBins: number): Float64Array {
  const sorted = Float64Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (distinct.length && distinct[distinct.length - 1] === v) counts[counts.length - 1]++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const cuts: number[] = [];
  if (distinct.length <= maxValueBins) {
    for (let j = 0; j + 1 < distinct.length; j++) cuts.push(midpoint(distinct[j], distinct[j + 1]));
    return Float64Array.from(cuts);
  }
  const step = sorted.length / maxValueBins;
  let next = step;
  let cum = 0;
  for (let j = 0; j + 1 < distinct.length && cuts.length < maxValueBins - 1; j++) {
    cum += counts[j];
    if (cum >= next) {
      cuts.push(midpoint(distinct[j], distinct[j + 1]));
      while (next <= cum) next += step;
    }
  }
  return Float64Array.from(cuts);
}

// Midpoints can round down to `a` for adjacent floats; that is harmless because binning and prediction compare the same way.
function midpoint(a: number, b: number): number {
  return a + (b - a) / 2;
}

export function fitBins(options: {
  columns: readonly ArrayLike<number>[];
  kinds: readonly FeatureKind[];
  maxBins: number;
}): FeatureBins[] {
  return options.columns.map((col, f) => {
    if (options.kinds[f] === 'numeric')
      return { kind: 'numeric', thresholds: quantileThresholds(col, options.maxBins - 1) };
    let maxCode = 0;
    for (let i = 0; i < col.length; i++) if (col[i] > maxCode && Number.isInteger(col[i])) maxCode = col[i];
    return { kind: 'categorical', nCodes: Math.min(maxCode + 1, options.maxBins) };
  });
}

/** First index whose threshold is >= v, i.e. v <= thresholds[t - 1] exactly when binOf(v) <= t. */
function lowerBound(thresholds: Float64Array, v: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (thresholds[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function binOf(bins: FeatureBins, v: number): number {
  if (Number.isNaN(v)) return MISSING_BIN;
  if (bins.kind === 'numeric') return 1 + lowerBound(bins.thresholds, v);
  return Number.isInteger(v) && v > 0 && v < bins.nCodes ? v : MISSING_BIN;
}

/** Column-major bin matrix: one Uint8Array per feature, indexed by row. */
export function binRows(bins: readonly FeatureBins[], rows: readonly ArrayLike<number>[]): Uint8Array[] {
  return bins.map((b, f) => {
    const out = new Uint8Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = binOf(b, rows[i][f]);
    return out;
  });
}
