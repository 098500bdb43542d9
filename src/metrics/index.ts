// Metrics contract: pure functions over scores and labels, shared by training, evaluation and the live service.
export {
  rocAuc,
  rocCurve,
  prCurve,
  averagePrecision,
  brierScore,
  expectedCalibrationError,
  calibrationBins,
  atThreshold,
  type Confusion,
  type ThresholdMetrics,
  type CalibrationBin,
} from './binary-metrics';
export { evaluate, evaluateByGroup, type EvalMetrics } from './evaluate';
export { bootstrapRocAuc, DEFAULT_BOOTSTRAP_RESAMPLES, type BootstrapOptions } from './bootstrap-interval';
export { shadowQuality, type ShadowPoint, type ShadowQuality } from './shadow-quality';
export { pairedBootstrapRocAuc, type PairedBootstrapOptions, type PairedDifference } from './paired-bootstrap';
export {
  qualitySummary,
  qualityByModel,
  type LabelledPoint,
  type QualitySummary,
  type ModelQuality,
} from './live-quality';
