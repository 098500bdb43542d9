// Calibration, risk bands and validation metrics from the trained model's raw validation probabilities.
import { evaluate, evaluateByGroup, type EvalMetrics } from '../../src/metrics';
import { chooseBands, type BandTargets, type ChosenBands } from '../../src/score/bands';
import {
  applyCalibration,
  fitCalibration,
  type Calibration,
  type CalibrationMethod,
} from '../../src/score/calibration';
import { stratifiedFolds } from '../../src/sampling/splits';

export interface ValidationInput {
  rawProbs: Float32Array;
  labels: number[];
  sources: string[];
  method: CalibrationMethod;
  targets: BandTargets;
  seed: number;
}

export interface ValidationResult {
  calibration: Calibration;
  bands: ChosenBands;
  metrics: { overall: EvalMetrics; bySource: Record<string, EvalMetrics>; uncalibrated: EvalMetrics };
  /** Cross-fitted calibrated probabilities (what the metrics were computed on). */
  calibratedProbs: Float32Array;
}

/**
 * The served calibration and bands are fitted on the whole validation split. The reported metrics are not measured on
 * that same fit (which would flatter ECE and band precision): each half of the validation split is calibrated by a
 * fit on the other half, and the bands are chosen on those cross-fitted probabilities.
 */
export function evaluateValidation(v: ValidationInput): ValidationResult {
  const calibration = fitCalibration(v.method, v.rawProbs, v.labels);
  const crossFitted = new Float32Array(v.rawProbs.length);
  const folds = stratifiedFolds(v.labels, 2, v.seed);
  folds.forEach((fold, k) => {
    const other = folds[1 - k];
    const cal = fitCalibration(
      v.method,
      other.map((i) => v.rawProbs[i]),
      other.map((i) => v.labels[i]),
    );
    for (const i of fold) crossFitted[i] = applyCalibration(cal, v.rawProbs[i]);
  });
  const served = Float32Array.from(v.rawProbs, (p) => applyCalibration(calibration, p));
  const bands = chooseBands(served, v.labels, v.targets);
  const threshold = bands.thresholds.high;
  return {
    calibration,
    bands,
    metrics: {
      overall: evaluate(crossFitted, v.labels, threshold),
      bySource: evaluateByGroup(crossFitted, v.labels, v.sources, threshold),
      uncalibrated: evaluate(v.rawProbs, v.labels, 0.5),
    },
    calibratedProbs: crossFitted,
  };
}
