// Seeded paired bootstrap of a ROC-AUC difference: both models are scored on the same resampled texts each draw.
import seedrandom from 'seedrandom';
import { ValidationError } from '../errors';
import { rocAuc } from './binary-metrics';

export interface PairedBootstrapOptions {
  /** Resamples drawn (default 1000). */
  resamples?: number;
  seed?: string;
  /** Two-sided coverage (default 0.95). */
  level?: number;
}

export interface PairedDifference {
  /** rocAuc(b) − rocAuc(a) on all points. */
  difference: number;
  interval: [number, number];
  /** Draws with both classes (the others have no ROC-AUC and are left out). */
  resamples: number;
}

/**
 * Percentile interval of rocAuc(b) − rocAuc(a). Pairing matters: the two models' errors on the same texts are
 * correlated, so resampling texts (not each model separately) gives the narrower, honest interval of the difference.
 * null when fewer than half the draws had both classes.
 */
export function pairedBootstrapRocAuc(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  labels: ArrayLike<number>,
  opts: PairedBootstrapOptions = {},
): PairedDifference | null {
  const n = labels.length;
  if (a.length !== n || b.length !== n)
    throw new ValidationError(`scores (${a.length}, ${b.length}) and labels (${n}) differ in length`);
  const resamples = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  const difference = rocAuc(b, labels) - rocAuc(a, labels);
  if (n < 2 || Number.isNaN(difference)) return null;
  const rnd = seedrandom(opts.seed ?? 'churnscope-retrain');
  const sa = new Float64Array(n);
  const sb = new Float64Array(n);
  const l = new Uint8Array(n);
  const diffs: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rnd() * n);
      sa[i] = a[k];
      sb[i] = b[k];
      l[i] = labels[k];
    }
    const d = rocAuc(sb, l) - rocAuc(sa, l);
    if (!Number.isNaN(d)) diffs.push(d);
  }
  if (diffs.length < resamples / 2) return null;
  diffs.sort((x, y) => x - y);
  const at = (q: number) => diffs[Math.min(diffs.length - 1, Math.max(0, Math.floor(q * diffs.length)))];
  return { difference, interval: [at((1 - level) / 2), at(1 - (1 - level) / 2)], resamples: diffs.length };
}
