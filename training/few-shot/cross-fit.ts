// Few-shot mode's labelled score: a labels-only logistic regression, and its out-of-fold scores for the blend's fits.
import { fitLogistic } from '../../src/baseline/sparse-logistic-regression';
import type { FewShotFit } from './few-shot-head';

/**
 * Inverse L2 strength of the labels-only fit on the embedding. Weak on purpose: the prior already carries the
 * shrinkage a few labels need, so the labelled score should say what the labels say (cv:few-shot, fourteen-pair
 * prompts, n = 64, blend weight 0.35: C = 1 / 3 / 10 / 30 gave 0.7945 / 0.7973 / 0.7995 / 0.8004; 100 and 1000 no better).
 */
export const LABEL_C = 30;

/** Folds of the cross-fit (fewer when a class has fewer training rows). */
export const CROSS_FIT_FOLDS = 4;

/** Balanced L2 logistic regression (L-BFGS, scikit-learn's objective) on the embeddings of `rows` alone. */
export function fitLabelsOnly(f: FewShotFit, rows: readonly number[] = f.train): Float64Array {
  const { dim } = f;
  const indices = Int32Array.from({ length: dim }, (_, j) => j);
  const model = fitLogistic(
    rows.map((i) => ({ indices, values: f.embeddings.subarray(i * dim, (i + 1) * dim) })),
    rows.map((i) => f.labels[i]),
    dim,
    { c: LABEL_C, maxIterations: 500, balanced: true },
  );
  return Float64Array.from(model.weights);
}

/** A linear score e·w in units of its spread over the rows it was fitted on: z = (e·w − mean) / sd. */
export interface Standardised {
  w: ArrayLike<number>;
  mean: number;
  sd: number;
}

export function dotRow(f: FewShotFit, i: number, w: ArrayLike<number>): number {
  let z = 0;
  for (let d = 0; d < f.dim; d++) z += f.embeddings[i * f.dim + d] * w[d];
  return z;
}

export function standardise(f: FewShotFit, rows: readonly number[], w: ArrayLike<number>): Standardised {
  const values = rows.map((i) => dotRow(f, i, w));
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  // A flat score (one distinct row per class, say) stays harmless instead of dividing by zero.
  return { w, mean, sd: sd > 1e-12 ? sd : 1 };
}

export const zOf = (f: FewShotFit, i: number, s: Standardised) => (dotRow(f, i, s.w) - s.mean) / s.sd;

/**
 * The labelled score of each training row from a fit that did not see it (stratified folds in training order), so the
 * fits on top of it (the logit's scale, whether the prior helps) read the labels' real strength, not their
 * in-sample separation, which at 64 labels in 512 dimensions is perfect. Null when a class has a single row.
 */
export function outOfFoldScores(f: FewShotFit): number[] | null {
  const minority = Math.min(...[0, 1].map((y) => f.train.filter((i) => f.labels[i] === y).length));
  const folds = Math.min(CROSS_FIT_FOLDS, minority);
  if (folds < 2) return null;
  const fold = new Map<number, number>();
  for (const y of [0, 1]) f.train.filter((i) => f.labels[i] === y).forEach((i, k) => fold.set(i, k % folds));
  const scores = new Map<number, number>();
  for (let k = 0; k < folds; k++) {
    const fitRows = f.train.filter((i) => fold.get(i) !== k);
    const s = standardise(f, fitRows, fitLabelsOnly(f, fitRows));
    for (const i of f.train) if (fold.get(i) === k) scores.set(i, zOf(f, i, s));
  }
  return f.train.map((i) => scores.get(i)!);
}
