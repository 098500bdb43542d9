// Live model quality from feedback: ROC-AUC with its bootstrap interval, PR-AUC, Brier, calibration, per model and source.
import { averagePrecision, brierScore, calibrationBins, expectedCalibrationError, rocAuc } from './binary-metrics';
import type { CalibrationBin } from './binary-metrics';
import { bootstrapRocAuc, type BootstrapOptions } from './bootstrap-interval';

export interface LabelledPoint {
  risk: number;
  label: 0 | 1;
  modelVersion: string;
  source: string;
}

export interface QualitySummary {
  n: number;
  positives: number;
  rocAuc: number | null;
  /** 95% percentile-bootstrap interval of rocAuc (seeded). */
  rocAucCi95: { lo: number; hi: number; resamples: number } | null;
  prAuc: number | null;
  brier: number | null;
  ece: number | null;
  /** Reliability bins: mean predicted risk against the share that churned. */
  calibration: CalibrationBin[];
  note?: string;
}

export interface ModelQuality extends QualitySummary {
  modelVersion: string;
  bySource: (QualitySummary & { source: string })[];
}

export function qualitySummary(points: readonly LabelledPoint[], opts: BootstrapOptions = {}): QualitySummary {
  const risks = points.map((p) => p.risk);
  const labels = points.map((p) => p.label);
  const positives = labels.filter(Boolean).length;
  const both = positives > 0 && positives < points.length;
  return {
    n: points.length,
    positives,
    rocAuc: both ? rocAuc(risks, labels) : null,
    rocAucCi95: both ? bootstrapRocAuc(risks, labels, opts) : null,
    prAuc: both ? averagePrecision(risks, labels) : null,
    brier: points.length ? brierScore(risks, labels) : null,
    ece: points.length ? expectedCalibrationError(risks, labels) : null,
    calibration: points.length ? calibrationBins(risks, labels, 10) : [],
    ...(both ? {} : { note: 'ROC-AUC needs feedback of both outcomes (churned and retained) on scored texts' }),
  };
}

/** One summary per model version (newest-looking order is the caller's), each split by text source. */
export function qualityByModel(points: readonly LabelledPoint[], opts: BootstrapOptions = {}): ModelQuality[] {
  return [...groupBy(points, (p) => p.modelVersion)].map(([modelVersion, ofModel]) => ({
    modelVersion,
    ...qualitySummary(ofModel, opts),
    bySource: [...groupBy(ofModel, (p) => p.source)].map(([source, ofSource]) => ({
      source,
      ...qualitySummary(ofSource, opts),
    })),
  }));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
