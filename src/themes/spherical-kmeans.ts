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

/** k-means++: each next centre drawn with probability ∝ 1 − (best cosine to the centres so far). */
function seedCentres(data: Float32Array, n: number, d: number, k: number, seed: number): Float32Array {
  const random = rng(seed);
  const centres = new Float32Array(k * d);
  const gap = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(random() * n);
  for (let c = 0; c < k; c++) {
    centres.set(data.subarray(pick * d, (pick + 1) * d), c * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const g = Math.max(0, 1 - dotAt(data, i * d, centres, c * d, d));
      if (g < gap[i]) gap[i] = g;
      total += gap[i];
    }
    // All remaining rows coincide with a centre: any of them will do.
    let target = random() * total;
    pick = 0;
    for (let i = 0; i < n && target > 0; i++) {
      target -= gap[i];
      pick = i;
    }
  }
  return centres;
}

function assignRows(data: Float32Array, n: number, d: number, centres: Float32Array, k: number, labels: Int32Array): boolean {
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
function updateCentres(data: Float32Array, n: number, d: number, centres: Float32Array, k: number, labels: Int32Array): void {
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
