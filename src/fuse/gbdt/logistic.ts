// Logistic-loss pieces for binary boosting: the link, the loss and the starting score.

export function sigmoid(raw: number): number {
  return raw >= 0 ? 1 / (1 + Math.exp(-raw)) : Math.exp(raw) / (1 + Math.exp(raw));
}

/** Mean log loss from raw scores, computed as softplus so large scores neither overflow nor round to log(0). */
export function logLoss(raw: ArrayLike<number>, y: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < raw.length; i++) {
    const m = y[i] ? -raw[i] : raw[i];
    sum += Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m)));
  }
  return sum / raw.length;
}

/** Log-odds of the positive rate, so the first tree fits deviations from the prior rather than the prior itself. */
export function baseScore(y: ArrayLike<number>): number {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  const p = Math.min(Math.max(pos / y.length, 1e-6), 1 - 1e-6);
  return Math.log(p / (1 - p));
}

/** Gradient and hessian of the log loss with respect to the raw score. */
export function fillGradients(raw: Float64Array, y: ArrayLike<number>, grad: Float64Array, hess: Float64Array): void {
  for (let i = 0; i < raw.length; i++) {
    const p = sigmoid(raw[i]);
    grad[i] = p - y[i];
    hess[i] = Math.max(p * (1 - p), 1e-16);
  }
}
