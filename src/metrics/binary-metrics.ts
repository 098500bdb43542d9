// Binary-classifier metrics on (score, label) pairs: ranking (ROC/PR), calibration (Brier, ECE) and thresholded counts.
import { ValidationError } from '../errors';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ThresholdMetrics extends Confusion {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

function check(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) {
    throw new ValidationError(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  }
}

/** Positions sorted by descending score; ties grouped so curves step once per distinct score. */
function descending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
}

/** ROC curve points (fpr, tpr) from (0,0) to (1,1), one point per distinct score. */
export function rocCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  check(scores, labels);
  const order = descending(scores);
  const pos = order.reduce((n, i) => n + (labels[i] ? 1 : 0), 0);
  const neg = order.length - pos;
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k]]) tp++;
    else fp++;
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[order[k]]) {
      fpr.push(neg ? fp / neg : 0);
      tpr.push(pos ? tp / pos : 0);
      thresholds.push(scores[order[k]]);
    }
  }
  return { fpr, tpr, thresholds };
}

/** Area under the ROC curve (trapezoidal, so tied scores count one half); NaN when a class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(scores, labels);
  const pos = Array.from(labels).filter(Boolean).length;
  if (pos === 0 || pos === labels.length) return NaN;
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
  return area;
}

/** Precision-recall points, one per distinct score, recall ascending. */
export function prCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { precision: number[]; recall: number[]; thresholds: number[] } {
  check(scores, labels);
  const order = descending(scores);
  const pos = order.reduce((n, i) => n + (labels[i] ? 1 : 0), 0);
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k]]) tp++;
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[order[k]]) {
      precision.push(tp / (k + 1));
      recall.push(pos ? tp / pos : 0);
      thresholds.push(scores[order[k]]);
    }
  }
  return { precision, recall, thresholds };
}

/** PR-AUC as average precision: Σ (R_k − R_{k−1}) · P_k, the step-wise estimate that does not interpolate optimistically. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { precision, recall } = prCurve(scores, labels);
  if (recall.length === 0 || recall[recall.length - 1] === 0) return NaN;
  let ap = 0;
  let prev = 0;
  for (let i = 0; i < recall.length; i++) {
    ap += (recall[i] - prev) * precision[i];
    prev = recall[i];
  }
  return ap;
}

export function brierScore(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  check(probs, labels);
  let s = 0;
  for (let i = 0; i < probs.length; i++) s += (probs[i] - labels[i]) ** 2;
  return s / probs.length;
}

export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  meanPredicted: number;
  fractionPositive: number;
}

/** Equal-width reliability bins; empty bins are kept (count 0) so charts keep their axis. */
export function calibrationBins(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationBin[] {
  check(probs, labels);
  const out: CalibrationBin[] = Array.from({ length: bins }, (_, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    count: 0,
    meanPredicted: 0,
    fractionPositive: 0,
  }));
  for (let i = 0; i < probs.length; i++) {
    const b = out[Math.min(bins - 1, Math.max(0, Math.floor(probs[i] * bins)))];
    b.count++;
    b.meanPredicted += probs[i];
    b.fractionPositive += labels[i];
  }
  for (const b of out) {
    if (b.count) {
      b.meanPredicted /= b.count;
      b.fractionPositive /= b.count;
    }
  }
  return out;
}

/** Expected calibration error: count-weighted mean |accuracy − confidence| over equal-width bins. */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): number {
  const n = probs.length;
  return calibrationBins(probs, labels, bins).reduce(
    (s, b) => s + (b.count / n) * Math.abs(b.fractionPositive - b.meanPredicted),
    0,
  );
}

export function atThreshold(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ThresholdMetrics {
  check(probs, labels);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < probs.length; i++) {
    const predicted = probs[i] >= threshold;
    if (predicted && labels[i]) c.tp++;
    else if (predicted) c.fp++;
    else if (labels[i]) c.fn++;
    else c.tn++;
  }
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, ...c, precision, recall, f1 };
}
