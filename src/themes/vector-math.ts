// Small dense-vector helpers over Float32Array rows (embeddings and their reduced projections).

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Unit length in place; a zero vector stays zero (it is similar to nothing). */
export function normalizeInPlace(v: Float32Array | number[]): typeof v {
  const n = Math.sqrt(dot(v, v));
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = Math.sqrt(dot(a, a) * dot(b, b));
  return d > 0 ? dot(a, b) / d : 0;
}

/** The unit-length mean direction of the given rows. */
export function meanDirection(rows: readonly ArrayLike<number>[], dims: number): Float32Array {
  const m = new Float32Array(dims);
  for (const r of rows) for (let i = 0; i < dims; i++) m[i] += r[i];
  return normalizeInPlace(m) as Float32Array;
}

/** Index and value of the largest similarity of v to the centroids (-1 when there are none). */
export function nearest(
  v: ArrayLike<number>,
  centroids: readonly ArrayLike<number>[],
): { index: number; similarity: number } {
  let index = -1;
  let similarity = -Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const s = dot(v, centroids[c]);
    if (s > similarity) {
      similarity = s;
      index = c;
    }
  }
  return { index, similarity };
}
