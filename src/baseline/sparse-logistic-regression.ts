// L2-regularised logistic regression on sparse rows (scikit-learn's objective), minimised with L-BFGS.
import { minimizeLbfgs } from './lbfgs';
import type { SparseRow } from './tfidf-vectorizer';

export interface LogisticModel {
  weights: Float64Array;
  bias: number;
}

export interface FitLogisticOptions {
  /** Inverse regularisation strength, as scikit-learn's C: loss = C·Σ wᵢ·loglossᵢ + ½‖w‖² (bias not penalised). */
  c: number;
  maxIterations: number;
  /** Positives weighted by negatives/positives so both classes count equally ("balanced"). */
  balanced: boolean;
}

export function logit(model: LogisticModel, row: SparseRow): number {
  let z = model.bias;
  for (let k = 0; k < row.indices.length; k++) z += model.weights[row.indices[k]] * row.values[k];
  return z;
}

export function fitLogistic(
  rows: readonly SparseRow[],
  labels: readonly number[],
  dim: number,
  o: FitLogisticOptions,
): LogisticModel {
  const pos = labels.filter((y) => y === 1).length;
  const wPos = o.balanced && pos > 0 ? (labels.length - pos) / pos : 1;
  const objective = (x: Float64Array, grad: Float64Array): number => {
    const model = { weights: x, bias: x[dim] };
    grad.fill(0);
    let loss = 0;
    rows.forEach((row, i) => {
      const z = logit(model, row);
      const y = labels[i];
      const sw = o.c * (y === 1 ? wPos : 1);
      // log(1 + e^{-z}) for y = 1 and log(1 + e^{z}) for y = 0, written to stay finite for large |z|.
      const m = y === 1 ? -z : z;
      loss += sw * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
      const g = sw * (1 / (1 + Math.exp(-z)) - y);
      for (let k = 0; k < row.indices.length; k++) grad[row.indices[k]] += g * row.values[k];
      grad[dim] += g;
    });
    for (let j = 0; j < dim; j++) {
      loss += 0.5 * x[j] * x[j];
      grad[j] += x[j];
    }
    return loss;
  };
  const x = minimizeLbfgs(objective, new Float64Array(dim + 1), { maxIterations: o.maxIterations });
  return { weights: x.subarray(0, dim), bias: x[dim] };
}
