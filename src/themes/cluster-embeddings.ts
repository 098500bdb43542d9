// Groups unit-length embeddings into themes: PCA + spherical k-means on a sample picks k, the full space refines.
import { chooseK } from './choose-k';
import { reduceDimensions } from './reduce-dimensions';
import { seededSample } from './seeded-sample';
import type { ThemeOptions } from './theme-options';
import { meanDirection, nearest } from './vector-math';

export interface Clustering {
  /** Theme of each row, -1 when it is close to none. */
  labels: number[];
  /** Unit-length centroids in the embedding space; every assigned row is nearest to its own. */
  centroids: Float32Array[];
  /** Silhouette per candidate k on the sample (empty when there was no choice). */
  silhouettes: { k: number; silhouette: number }[];
}

type ClusterOptions = Pick<
  ThemeOptions,
  | 'seed'
  | 'components'
  | 'sample'
  | 'minK'
  | 'maxK'
  | 'silhouetteTolerance'
  | 'refinePasses'
  | 'minThemeSize'
  | 'minThemeShare'
  | 'assignThreshold'
>;

export function clusterEmbeddings(rows: readonly Float32Array[], opts: ClusterOptions): Clustering {
  const minSize = Math.max(opts.minThemeSize, Math.ceil(opts.minThemeShare * rows.length));
  if (rows.length < minSize || rows.length === 0) return { labels: rows.map(() => -1), centroids: [], silhouettes: [] };
  const dims = rows[0].length;
  const { sampleLabels, sample, silhouettes } = clusterSample(rows, {
    ...opts,
    maxK: Math.min(opts.maxK, Math.floor(rows.length / minSize)),
  });
  let centroids = centroidsOf(
    sample.map((i) => rows[i]),
    sampleLabels,
    dims,
  );
  for (let pass = 0; pass < opts.refinePasses; pass++) {
    const labels = rows.map((r) => nearest(r, centroids).index);
    centroids = centroidsOf(rows, labels, dims);
  }
  centroids = dissolveSmall(rows, centroids, minSize);
  return { labels: assign(rows, centroids, opts.assignThreshold), centroids, silhouettes };
}

/** k and a first clustering from a seeded sample, compared in a PCA-reduced space (the costly part stays small). */
function clusterSample(rows: readonly Float32Array[], opts: ClusterOptions) {
  const sample = seededSample(rows.length, opts.sample, opts.seed);
  const reduced = reduceDimensions(
    sample.map((i) => rows[i]),
    { components: opts.components, seed: opts.seed },
  );
  const chosen = chooseK(reduced, {
    minK: opts.minK,
    maxK: opts.maxK,
    seed: opts.seed,
    tolerance: opts.silhouetteTolerance,
  });
  return { sample, sampleLabels: chosen.labels, silhouettes: chosen.silhouettes };
}

/** Mean direction of each non-empty cluster, in order of cluster number (empty clusters disappear). */
function centroidsOf(rows: readonly Float32Array[], labels: readonly number[], dims: number): Float32Array[] {
  const groups = new Map<number, Float32Array[]>();
  labels.forEach((l, i) => {
    if (l < 0) return;
    const g = groups.get(l);
    if (g) g.push(rows[i]);
    else groups.set(l, [rows[i]]);
  });
  return [...groups.keys()].sort((a, b) => a - b).map((l) => meanDirection(groups.get(l)!, dims));
}

/** Drops every cluster below minSize at once (the largest always stays) and repeats until all are big enough. */
function dissolveSmall(rows: readonly Float32Array[], centroids: Float32Array[], minSize: number): Float32Array[] {
  let current = centroids;
  for (;;) {
    const sizes = new Array<number>(current.length).fill(0);
    for (const r of rows) sizes[nearest(r, current).index]++;
    const largest = sizes.indexOf(Math.max(...sizes));
    const kept = current.filter((_, c) => c === largest || sizes[c] >= minSize);
    if (kept.length === current.length) return current;
    current = kept;
  }
}

function assign(rows: readonly Float32Array[], centroids: readonly Float32Array[], threshold: number): number[] {
  return rows.map((r) => {
    const { index, similarity } = nearest(r, centroids);
    return similarity >= threshold ? index : -1;
  });
}
