// Spherical k-means (cosine, unit centroids) with seeded k-means++ starts, over flat typed arrays for speed.
import { rng } from '../sampling';

export interface KMeansOptions {
  seed: number;
  maxIterations?: number;
}

export interface KMeansFit {
  /** Cluster of each row. */
  labels: number[];
  /** Unit-length centroids. */
  centroids: Float32Array[];
  iterations: number;
}

/**
 * rows must be unit length; k is capped by the number of rows. Ends when no row changes cluster. (ml-kmeans does
 * the same with a pluggable distance, but its per-pair callback over number arrays made choosing k ~10× slower.)
 */
export function sphericalKMeans(rows: readonly Float32Array[], k: number, opts: KMeansOptions): KMeansFit {
  const n = rows.length;
  const d = n ? rows[0].length : 0;
  const clusters = Math.max(1, Math.min(k, n));
  const data = new Float32Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  const centres = seedCentres(data, n, d, clusters, opts.seed);
  const labels = new Int32Array(n).fill(-1);
  let iterations = 0;
  for (let changed = true; changed && iterations < (opts.maxIterations ?? 100); iterations++) {
    changed = assignRows(data, n, d, centres, clusters, labels);
    updateCentres(data, n, d, centres, clusters, labels);
  }
  return {
    labels: Array.from(labels),
    centroids: Array.from({ length: clusters }, (_, c) => centres.slice(c * d, (c + 1) * d)),
    iterations,
  };
}

/**
 * Greedy k-means++ (as scikit-learn does it): each next centre is the best of 2 + ln k candidates drawn with
 * probability ∝ 1 − (best cosine to the centres so far), "best" leaving the least of that in total.
 */
function seedCentres(data: Float32Array, n: number, d: number, k: number, seed: number): Float32Array {
  const random = rng(seed);
  const centres = new Float32Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(random() * n);
  centres.set(data.subarray(first * d, (first + 1) * d), 0);
  let gap = gapsTo(data, n, d, first, new Float64Array(n).fill(Infinity));
  for (let c = 1; c < k; c++) {
    const total = gap.reduce((a, b) => a + b, 0);
    let best: { row: number; gap: Float64Array; total: number } | undefined;
    for (let t = 0; t < trials; t++) {
      const row = drawRow(gap, random() * total);
      const next = gapsTo(data, n, d, row, gap);
      const sum = next.reduce((a, b) => a + b, 0);
      if (!best || sum < best.total) best = { row, gap: next, total: sum };
    }
    centres.set(data.subarray(best!.row * d, (best!.row + 1) * d), c * d);
    gap = best!.gap;
  }
  return centres;
}

/** Each row's gap (1 − cosine) to its nearest centre once `row` is added as a centre. */
function gapsTo(data: Float32Array, n: number, d: number, row: number, previous: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(previous[i], Math.max(0, 1 - dotAt(data, i * d, data, row * d, d)));
  return out;
}

/** The row where the running sum of gaps passes target (rows that coincide with a centre have gap 0, never drawn). */
function drawRow(gap: Float64Array, target: number): number {
  let rest = target;
  let last = 0;
  for (let i = 0; i < gap.length; i++) {
    if (gap[i] <= 0) continue;
    last = i;
    rest -= gap[i];
    if (rest <= 0) return i;
  }
  return last;
}

function assignRows(
  data: Float32Array,
  n: number,
  d: number,
  centres: Float32Array,
  k: number,
  labels: Int32Array,
): boolean {
  let changed = false;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestSim = -Infinity;
    for (let c = 0; c < k; c++) {
      const s = dotAt(data, i * d, centres, c * d, d);
      if (s > bestSim) {
        bestSim = s;
        best = c;
      }
    }
    if (labels[i] !== best) {
      labels[i] = best;
      changed = true;
    }
  }
  return changed;
}

/** Each centre becomes its rows' normalised sum; a centre that lost all its rows stays where it was. */
function updateCentres(
  data: Float32Array,
  n: number,
  d: number,
  centres: Float32Array,
  k: number,
  labels: Int32Array,
): void {
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const off = labels[i] * d;
    counts[labels[i]]++;
    for (let j = 0; j < d; j++) sums[off + j] += data[i * d + j];
  }
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    let norm = 0;
    for (let j = 0; j < d; j++) norm += sums[c * d + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j] / norm;
  }
}

function dotAt(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[ao + j] * b[bo + j];
  return s;
}
