// Spherical k-means, the choice of k, PCA reduction and cluster assignment on synthetic directions with known answers.
import { PCA } from 'ml-pca';
import { describe, expect, it } from 'vitest';
import { rng } from '../../src/sampling';
import { chooseK } from '../../src/themes/choose-k';
import { clusterEmbeddings } from '../../src/themes/cluster-embeddings';
import { reduceDimensions } from '../../src/themes/reduce-dimensions';
import { sphericalKMeans } from '../../src/themes/spherical-kmeans';
import { DEFAULT_THEME_OPTIONS } from '../../src/themes/theme-options';
import { cosine, normalizeInPlace } from '../../src/themes/vector-math';

/** `perCluster` unit rows around each of `k` random directions in `dims` dimensions, with noise of the given size. */
function blobs(k: number, perCluster: number, dims: number, noise: number, seed = 1) {
  const random = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from(
    { length: k },
    () => normalizeInPlace(Float32Array.from({ length: dims }, gauss)) as Float32Array,
  );
  const rows: Float32Array[] = [];
  const truth: number[] = [];
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < perCluster; i++) {
      rows.push(
        normalizeInPlace(Float32Array.from(centres[c], (v) => v + (noise * gauss()) / Math.sqrt(dims))) as Float32Array,
      );
      truth.push(c);
    }
  }
  return { rows, truth, centres };
}

/** Whether two labelings group the rows identically (up to renaming). */
function samePartition(a: readonly number[], b: readonly number[]): boolean {
  const map = new Map<number, number>();
  return (
    a.every((x, i) => (map.has(x) ? map.get(x) === b[i] : (map.set(x, b[i]), true))) &&
    new Set(map.values()).size === map.size
  );
}

describe('sphericalKMeans', () => {
  it('recovers well-separated directions exactly, the same way for the same seed', () => {
    const { rows, truth } = blobs(4, 40, 32, 0.3);
    const a = sphericalKMeans(rows, 4, { seed: 3 });
    const b = sphericalKMeans(rows, 4, { seed: 3 });
    expect(samePartition(a.labels, truth)).toBe(true);
    expect(a.labels).toEqual(b.labels);
    for (const c of a.centroids) expect(cosine(c, c)).toBeCloseTo(1, 5);
  });

  it('caps k at the number of rows', () => {
    const { rows } = blobs(2, 1, 8, 0.1);
    expect(sphericalKMeans(rows, 5, { seed: 1 }).centroids).toHaveLength(2);
  });
});

describe('chooseK', () => {
  it('picks the true number of clusters when it separates best', () => {
    const { rows } = blobs(5, 30, 24, 0.4, 2);
    const chosen = chooseK(rows, { minK: 2, maxK: 9, seed: 7, tolerance: 0.01 });
    expect(chosen.k).toBe(5);
    expect(chosen.silhouettes.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('reduceDimensions', () => {
  it('keeps the leading principal subspace: cosines between rows match those of a full ml-pca projection', () => {
    // Six blobs span five directions around their mean: those five components stand far above the noise.
    const { rows } = blobs(6, 50, 64, 0.8, 4);
    const reduced = reduceDimensions(rows, { components: 5, seed: 1 });
    const full = new PCA(rows.map((r) => Array.from(r)))
      .predict(
        rows.map((r) => Array.from(r)),
        { nComponents: 5 },
      )
      .to2DArray();
    expect(reduced[0]).toHaveLength(5);
    for (let i = 0; i < rows.length; i += 7) {
      for (let j = i + 1; j < rows.length; j += 11)
        expect(cosine(reduced[i], reduced[j])).toBeCloseTo(cosine(full[i], full[j]), 3);
    }
  });

  it('returns normalised rows unreduced when there are too few to reduce', () => {
    const out = reduceDimensions([Float32Array.of(3, 4, 0), Float32Array.of(0, 0, 2)], { components: 50, seed: 1 });
    expect(Array.from(out[0])).toEqual([expect.closeTo(0.6), expect.closeTo(0.8), 0]);
  });
});

describe('clusterEmbeddings', () => {
  const opts = { ...DEFAULT_THEME_OPTIONS, minK: 2, maxK: 8 };

  it('groups the rows by direction and leaves an outlier unassigned', () => {
    const { rows, truth, centres } = blobs(3, 40, 48, 0.5, 5);
    // Orthogonal to every centre: similar to no theme.
    const outlier = Float32Array.from({ length: 48 }, (_, i) => (i === 0 ? 1 : 0));
    for (const c of centres) expect(Math.abs(cosine(outlier, c))).toBeLessThan(0.5);
    const got = clusterEmbeddings([...rows, outlier], { ...opts, assignThreshold: 0.6 });
    expect(got.centroids).toHaveLength(3);
    expect(samePartition(got.labels.slice(0, rows.length), truth)).toBe(true);
    expect(got.labels[rows.length]).toBe(-1);
  });

  it('dissolves clusters below the minimum size into their neighbours', () => {
    const big = blobs(2, 40, 16, 0.3, 6);
    const tiny = blobs(1, 3, 16, 0.3, 9);
    const got = clusterEmbeddings([...big.rows, ...tiny.rows], {
      ...opts,
      minK: 3,
      maxK: 3,
      minThemeSize: 5,
      assignThreshold: -1,
    });
    expect(got.centroids).toHaveLength(2);
    expect(got.labels.every((l) => l >= 0)).toBe(true);
  });

  it('finds no theme in fewer texts than the minimum theme size', () => {
    const { rows } = blobs(1, 3, 8, 0.1);
    expect(clusterEmbeddings(rows, opts)).toEqual({ labels: [-1, -1, -1], centroids: [], silhouettes: [] });
  });
});
