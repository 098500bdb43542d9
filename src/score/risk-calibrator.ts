// Turns a model probability into the served risk: the bundle's calibration, then its band thresholds.
import type { BundleInfo } from '../bundle';
import { bandOf, type Band, type BandThresholds } from './bands';
import { applyCalibration, type Calibration } from './calibration';

/** Used only for bundles trained without validation bands (bare encoders): the design's "high above 0.8". */
export const FALLBACK_BANDS: BandThresholds = { medium: 0.5, high: 0.8, critical: 0.95 };

export class RiskCalibrator {
  readonly calibration: Calibration;
  readonly thresholds: BandThresholds;

  constructor(info: Pick<BundleInfo, 'calibration' | 'bands'>) {
    this.calibration = info.calibration ?? { method: 'none' };
    this.thresholds = info.bands ?? FALLBACK_BANDS;
  }

  risk(probability: number): number {
    return applyCalibration(this.calibration, probability);
  }

  band(risk: number): Band {
    return bandOf(risk, this.thresholds);
  }
}
