// PCA to a few dozen dimensions: top eigenvectors of the covariance by subspace iteration, finished by ml-pca.
import { PCA } from 'ml-pca';
import { rng } from '../sampling';
import { normalizeInPlace } from './vector-math';

export interface ReduceOptions {
  components: number;
  seed: number;
}

/** Extra directions iterated beside the wanted ones, and iterations: enough for the top 50 of 512 to settle. */
const OVERSAMPLE = 10;
const ITERATIONS = 6;

/**
 * Unit-length rows of `components` dimensions: cosine similarity there tracks the full space's closely while
 * clustering costs ~10× less. Too few rows (or dimensions) to reduce: the rows come back normalised, unreduced.
 * A full eigen-decomposition of the 512 × 512 covariance (ml-pca's own path) took seconds; iterating on a
 * 60-column subspace and decomposing only its 60 × 60 projection gives the same leading directions in a fraction.
 */
export function reduceDimensions(rows: readonly Float32Array[], opts: ReduceOptions): Float32Array[] {
  const n = rows.length;
  const dims = n ? rows[0].length : 0;
  const components = Math.min(opts.components, dims, n - 1);
  if (components < 2 || components >= dims)
    return rows.map((r) => normalizeInPlace(Float32Array.from(r)) as Float32Array);
  const means = new Float64Array(dims);
  for (const r of rows) for (let d = 0; d < dims; d++) means[d] += r[d] / n;
  const basis = leadingEigenvectors(covariance(rows, means), dims, components, opts.seed);
  const centred = new Float64Array(dims);
  return rows.map((r) => {
    for (let d = 0; d < dims; d++) centred[d] = r[d] - means[d];
    const out = new Float32Array(components);
    for (let c = 0; c < components; c++) {
      let s = 0;
      for (let d = 0, off = c * dims; d < dims; d++) s += basis[off + d] * centred[d];
      out[c] = s;
    }
    return normalizeInPlace(out) as Float32Array;
  });
}

/** Symmetric dims × dims covariance, row-major. */
function covariance(rows: readonly Float32Array[], means: Float64Array): Float64Array {
  const dims = means.length;
  const cov = new Float64Array(dims * dims);
  const c = new Float64Array(dims);
  for (const r of rows) {
    for (let d = 0; d < dims; d++) c[d] = r[d] - means[d];
    for (let i = 0; i < dims; i++) {
      const ci = c[i];
      for (let j = i, off = i * dims; j < dims; j++) cov[off + j] += ci * c[j];
    }
  }
  const scale = 1 / Math.max(1, rows.length - 1);
  for (let i = 0; i < dims; i++) {
    for (let j = i; j < dims; j++) {
      cov[i * dims + j] *= scale;
      cov[j * dims + i] = cov[i * dims + j];
    }
  }
  return cov;
}

/** The top `k` eigenvectors (row-major, k × dims), largest eigenvalue first. */
function leadingEigenvectors(cov: Float64Array, dims: number, k: number, seed: number): Float64Array {
  const m = Math.min(dims, k + OVERSAMPLE);
  const random = rng(seed);
  let q = orthonormalRows(
    Float64Array.from({ length: m * dims }, () => random() * 2 - 1),
    m,
    dims,
  );
  for (let it = 0; it < ITERATIONS; it++) q = orthonormalRows(multiplyRows(q, m, cov, dims), m, dims);
  // Rayleigh–Ritz: decompose the covariance restricted to the subspace, then rotate the subspace accordingly.
  const cq = multiplyRows(q, m, cov, dims);
  const small = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => dotRows(q, a, cq, b, dims)));
  const u = new PCA(small, { isCovarianceMatrix: true }).getEigenvectors();
  const out = new Float64Array(k * dims);
  for (let c = 0; c < k; c++) {
    for (let a = 0; a < m; a++) {
      const w = u.get(a, c);
      for (let d = 0; d < dims; d++) out[c * dims + d] += w * q[a * dims + d];
    }
  }
  return out;
}

/** Each of the m rows of q multiplied by the symmetric matrix: (q · cov) row by row. */
function multiplyRows(q: Float64Array, m: number, cov: Float64Array, dims: number): Float64Array {
  const out = new Float64Array(m * dims);
  for (let a = 0; a < m; a++) {
    for (let i = 0; i < dims; i++) {
      const qi = q[a * dims + i];
      if (qi === 0) continue;
      for (let j = 0, off = i * dims, o = a * dims; j < dims; j++) out[o + j] += qi * cov[off + j];
    }
  }
  return out;
}

/** Modified Gram–Schmidt over the rows, in place. */
function orthonormalRows(v: Float64Array, m: number, dims: number): Float64Array {
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < a; b++) {
      const p = dotRows(v, a, v, b, dims);
      for (let d = 0; d < dims; d++) v[a * dims + d] -= p * v[b * dims + d];
    }
    const norm = Math.sqrt(dotRows(v, a, v, a, dims)) || 1;
    for (let d = 0; d < dims; d++) v[a * dims + d] /= norm;
  }
  return v;
}

function dotRows(x: Float64Array, a: number, y: Float64Array, b: number, dims: number): number {
  let s = 0;
  for (let d = 0; d < dims; d++) s += x[a * dims + d] * y[b * dims + d];
  return s;
}
