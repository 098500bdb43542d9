// Seeded percentile-bootstrap interval of ROC-AUC: how much the live figure can move with the feedback that happened to arrive.
import seedrandom from 'seedrandom';
import { rocAuc } from './binary-metrics';

export interface BootstrapOptions {
  /** Resamples drawn (default 500). */
  resamples?: number;
  /** Same seed, same interval for the same points: responses are reproducible. */
  seed?: string;
  /** Two-sided coverage (default 0.95). */
  level?: number;
}

export const DEFAULT_BOOTSTRAP_RESAMPLES = 500;

/**
 * Percentile interval over `resamples` draws of n points with replacement. A draw with one class only has no ROC-AUC
 * and is left out; null when fewer than half the draws had both classes (too few labels to say anything).
 */
export function bootstrapRocAuc(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  opts: BootstrapOptions = {},
): { lo: number; hi: number; resamples: number } | null {
  const n = scores.length;
  const resamples = opts.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const level = opts.level ?? 0.95;
  if (n < 2) return null;
  const rnd = seedrandom(opts.seed ?? 'churnscope-live-quality');
  const s = new Float64Array(n);
  const l = new Uint8Array(n);
  const aucs: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rnd() * n);
      s[i] = scores[k];
      l[i] = labels[k];
    }
    const auc = rocAuc(s, l);
    if (!Number.isNaN(auc)) aucs.push(auc);
  }
  if (aucs.length < resamples / 2) return null;
  aucs.sort((a, b) => a - b);
  const at = (q: number) => aucs[Math.min(aucs.length - 1, Math.max(0, Math.floor(q * aucs.length)))];
  return { lo: at((1 - level) / 2), hi: at(1 - (1 - level) / 2), resamples: aucs.length };
}
