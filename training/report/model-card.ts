// The model card: what was trained on what, how well it does (overall and per source), and the curves behind the numbers.
import { calibrationBins, prCurve, rocCurve, type CalibrationBin, type EvalMetrics } from '../../src/metrics';
import type { ChosenBands } from '../../src/score/bands';
import type { EpochRecord } from '../loop/checkpoint';
import type { PrecisionComparison } from '../quantize/precision-comparison';
import type { BaselineComparison } from '../../src/baseline';

export interface ModelCard {
  version: string;
  createdAt: string;
  encoder: { family: string; maxTokens: number };
  mode: 'head' | 'full' | 'few-shot';
  head: Record<string, unknown>;
  data: {
    files: string[];
    rows: number;
    positives: number;
    skippedEmpty: number;
    bySource: Record<string, number>;
    labelValues: { positive: string[]; negative: string[] };
  };
  split: { train: number; valid: number; seed: number };
  training: {
    options: Record<string, unknown>;
    history: EpochRecord[];
    bestEpoch: number;
    seconds: number;
    backend: string;
    /** Threads that computed full mode's gradients (data-parallel when > 1); absent for other modes. */
    threads?: number;
  };
  calibration: { method: string };
  bands: ChosenBands;
  /** Validation metrics on calibrated probabilities, at the "high" band threshold. */
  metrics: { overall: EvalMetrics; bySource: Record<string, EvalMetrics>; uncalibrated: EvalMetrics };
  curves: {
    roc: { fpr: number[]; tpr: number[] };
    pr: { precision: number[]; recall: number[] };
    calibration: CalibrationBin[];
  };
  parity?: { maxAbsDiff: number; texts: number; tolerance: number };
  /** The model next to TF-IDF + logistic regression fitted on the same training split; absent on older cards. */
  baseline?: BaselineComparison;
  /** fp32 and int8 side by side on the validation split; absent when no int8 file was written. */
  precisions?: PrecisionComparison;
  notes: string[];
}

/** Curves thinned to at most `points` so cards stay small whatever the validation size. */
export function curvesFor(probs: ArrayLike<number>, labels: ArrayLike<number>, points = 200): ModelCard['curves'] {
  const roc = rocCurve(probs, labels);
  const pr = prCurve(probs, labels);
  const thin = <T>(a: T[]) =>
    a.length <= points ? a : a.filter((_, i) => i % Math.ceil(a.length / points) === 0 || i === a.length - 1);
  return {
    roc: { fpr: thin(roc.fpr), tpr: thin(roc.tpr) },
    pr: { precision: thin(pr.precision), recall: thin(pr.recall) },
    calibration: calibrationBins(probs, labels, 10),
  };
}
