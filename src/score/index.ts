// Scoring contract: calibration, risk bands and the calibrator that applies a bundle's fitted values.
export {
  applyCalibration,
  fitCalibration,
  calibrationSchema,
  type Calibration,
  type CalibrationMethod,
} from './calibration';
export {
  bandOf,
  chooseBands,
  BANDS,
  bandThresholdsSchema,
  bandTargetsSchema,
  type Band,
  type BandThresholds,
  type BandTargets,
  type ChosenBands,
} from './bands';
export { RiskCalibrator, FALLBACK_BANDS } from './risk-calibrator';
