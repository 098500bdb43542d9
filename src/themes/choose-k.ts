// Picks the number of themes by the mean cosine silhouette of spherical k-means fits, preferring finer ones on near-ties.
import { sphericalKMeans } from './spherical-kmeans';
import { dot } from './vector-math';

export interface ChooseKOptions {
  minK: number;
  maxK: number;
  seed: number;
  /** The largest k whose silhouette is within this of the best is chosen. */
  tolerance: number;
}

export interface ChosenK {
  k: number;
  /** Mean silhouette of each candidate k, for logs and the benchmark. */
  silhouettes: { k: number; silhouette: number }[];
  /** Cluster of each row in the winning fit. */
  labels: number[];
}

/**
 * rows are unit length (a sample: the silhouette is quadratic in rows). Silhouette differences within the tolerance
 * are what another seed gives too, so among near-ties the finer clustering wins: it names more specific themes.
 */
export function chooseK(rows: readonly Float32Array[], opts: ChooseKOptions): ChosenK {
  const maxK = Math.max(1, Math.min(opts.maxK, Math.floor(rows.length / 2)));
  const minK = Math.max(1, Math.min(opts.minK, maxK));
  if (minK === maxK)
    return { k: minK, silhouettes: [], labels: sphericalKMeans(rows, minK, { seed: opts.seed }).labels };
  const distances = cosineDistances(rows);
  const fits: { k: number; silhouette: number; labels: number[] }[] = [];
  for (let k = minK; k <= maxK; k++) {
    const { labels } = sphericalKMeans(rows, k, { seed: opts.seed });
    fits.push({ k, silhouette: meanSilhouette(distances, labels, k), labels });
  }
  const best = Math.max(...fits.map((f) => f.silhouette));
  const chosen = fits.filter((f) => f.silhouette >= best - opts.tolerance).pop()!;
  return { k: chosen.k, silhouettes: fits.map(({ k, silhouette }) => ({ k, silhouette })), labels: chosen.labels };
}

function cosineDistances(rows: readonly Float32Array[]): Float32Array[] {
  const n = rows.length;
  const out = Array.from({ length: n }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = 1 - dot(rows[i], rows[j]);
      out[i][j] = d;
      out[j][i] = d;
    }
  }
  return out;
}

/** Mean over rows of (b − a) / max(a, b); rows alone in their cluster count 0, as in scikit-learn. */
export function meanSilhouette(distances: readonly Float32Array[], labels: readonly number[], k: number): number {
  const n = labels.length;
  if (k < 2) return 0;
  const sizes = new Array<number>(k).fill(0);
  for (const l of labels) sizes[l]++;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    const row = distances[i];
    for (let j = 0; j < n; j++) sums[labels[j]] += row[j];
    const own = labels[i];
    if (sizes[own] < 2) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b, 1e-12);
  }
  return total / n;
}
