// Population stability index between a reference histogram and a live one over the same bins.

/**
 * Share floor for an empty bin: ln(0) is undefined, and one empty bin of ten must not make PSI infinite. 1e-4 is the
 * usual choice; it caps one empty bin's term near 0.1·ln(1000) ≈ 0.69 for a bin holding 10% on the other side.
 */
export const PSI_EMPTY_SHARE = 1e-4;

/** PSI = Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) over bin shares; null when either side has no values. */
export function psi(expected: readonly number[], actual: readonly number[]): number | null {
  if (expected.length !== actual.length) {
    throw new RangeError(`psi needs histograms over the same bins, got ${expected.length} and ${actual.length}`);
  }
  const e = shares(expected);
  const a = shares(actual);
  if (!e || !a) return null;
  let sum = 0;
  for (let i = 0; i < e.length; i++) {
    const ei = Math.max(e[i], PSI_EMPTY_SHARE);
    const ai = Math.max(a[i], PSI_EMPTY_SHARE);
    sum += (ai - ei) * Math.log(ai / ei);
  }
  return sum;
}

function shares(counts: readonly number[]): number[] | null {
  const total = counts.reduce((s, c) => s + c, 0);
  return total > 0 ? counts.map((c) => c / total) : null;
}
