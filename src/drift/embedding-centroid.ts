// The validation centroid of a bundle's embeddings and each text's cosine distance to it.

/** Unit-length mean of the embeddings' unit-length directions. */
export function centroidOf(embeddings: readonly Float32Array[]): Float32Array {
  if (embeddings.length === 0) throw new RangeError('a centroid needs at least one embedding');
  const out = new Float32Array(embeddings[0].length);
  for (const e of embeddings) {
    const inv = 1 / Math.max(norm(e), 1e-12);
    for (let i = 0; i < out.length; i++) out[i] += e[i] * inv;
  }
  const inv = 1 / Math.max(norm(out), 1e-12);
  for (let i = 0; i < out.length; i++) out[i] *= inv;
  return out;
}

/** 1 − cos(e, c), in [0, 2]; null when the widths differ (an embedding from another model). */
export function cosineDistance(e: Float32Array, c: ArrayLike<number>): number | null {
  if (e.length !== c.length || e.length === 0) return null;
  let dot = 0;
  let nc = 0;
  for (let i = 0; i < e.length; i++) {
    dot += e[i] * c[i];
    nc += c[i] * c[i];
  }
  const denom = norm(e) * Math.sqrt(nc);
  return denom > 0 ? 1 - dot / denom : null;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
