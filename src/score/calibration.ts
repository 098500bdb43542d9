// Maps raw model probabilities to calibrated ones: Platt scaling (a logistic on the logit) or isotonic regression (PAV).
import { z } from 'zod';
import { ValidationError } from '../errors';

export const calibrationSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('none') }),
  z.object({ method: z.literal('platt'), a: z.number(), b: z.number() }),
  z.object({ method: z.literal('isotonic'), x: z.array(z.number()).min(1), y: z.array(z.number()).min(1) }),
]);

export type Calibration = z.infer<typeof calibrationSchema>;
export type CalibrationMethod = Calibration['method'];

const EPS = 1e-7;
const logit = (p: number) => Math.log(Math.max(p, EPS) / Math.max(1 - p, EPS));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function applyCalibration(cal: Calibration, p: number): number {
  switch (cal.method) {
    case 'none':
      return p;
    case 'platt':
      return sigmoid(cal.a * logit(p) + cal.b);
    case 'isotonic':
      return interpolate(cal.x, cal.y, p);
  }
}

export function fitCalibration(
  method: CalibrationMethod,
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
): Calibration {
  if (probs.length !== labels.length || probs.length < 2) {
    throw new ValidationError(`calibration needs at least 2 scored examples with labels, got ${probs.length}`);
  }
  if (method === 'none') return { method };
  return method === 'platt' ? fitPlatt(probs, labels) : fitIsotonic(probs, labels);
}

/**
 * Platt scaling with Newton's method on the logit, using Platt's smoothed targets
 * ((N₊+1)/(N₊+2), 1/(N₋+2)) so a separable validation set does not send the slope to infinity.
 */
export function fitPlatt(probs: ArrayLike<number>, labels: ArrayLike<number>): Calibration & { method: 'platt' } {
  const n = probs.length;
  const pos = Array.from(labels).filter(Boolean).length;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  const x = Array.from(probs, logit);
  const t = Array.from(labels, (l) => (l ? hi : lo));
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let g0 = 0,
      g1 = 0,
      h00 = 1e-9,
      h01 = 0,
      h11 = 1e-9;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * x[i] + b);
      const d = p - t[i];
      const w = p * (1 - p);
      g0 += d * x[i];
      g1 += d;
      h00 += w * x[i] * x[i];
      h01 += w * x[i];
      h11 += w;
    }
    const det = h00 * h11 - h01 * h01;
    if (Math.abs(det) < 1e-12) break;
    const da = (h11 * g0 - h01 * g1) / det;
    const db = (h00 * g1 - h01 * g0) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  // A calibration must never reverse the model's ranking. A negative slope only fits noise (a handful of validation
  // rows, as few-shot sets have, where cross-fitting turned a 0.64 raw ROC-AUC into 0.30): the best non-decreasing
  // Platt map is then the constant at the smoothed base rate.
  if (!(a >= 0)) {
    a = 0;
    b = logit(t.reduce((sum, v) => sum + v, 0) / n);
  }
  return { method: 'platt', a, b };
}

/** Pool-adjacent-violators on scores sorted ascending; the result is a non-decreasing step function, interpolated between block centres. */
export function fitIsotonic(probs: ArrayLike<number>, labels: ArrayLike<number>): Calibration & { method: 'isotonic' } {
  const order = Array.from({ length: probs.length }, (_, i) => i).sort((i, j) => probs[i] - probs[j]);
  const blocks: { sumX: number; sumY: number; n: number }[] = [];
  for (const i of order) {
    blocks.push({ sumX: probs[i], sumY: labels[i], n: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const prev = blocks[blocks.length - 2];
      if (prev.sumY / prev.n < last.sumY / last.n) break;
      prev.sumX += last.sumX;
      prev.sumY += last.sumY;
      prev.n += last.n;
      blocks.pop();
    }
  }
  return { method: 'isotonic', x: blocks.map((b) => b.sumX / b.n), y: blocks.map((b) => b.sumY / b.n) };
}

function interpolate(xs: number[], ys: number[], p: number): number {
  if (p <= xs[0]) return ys[0];
  if (p >= xs[xs.length - 1]) return ys[ys.length - 1];
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= p) lo = mid;
    else hi = mid;
  }
  const span = xs[hi] - xs[lo];
  return span > 0 ? ys[lo] + ((p - xs[lo]) / span) * (ys[hi] - ys[lo]) : ys[hi];
}
