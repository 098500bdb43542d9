// Shadow model against the served one on the same outcomes: each summary, and the paired ROC-AUC difference.
import {
  qualityByModel,
  qualitySummary,
  type LabelledPoint,
  type ModelQuality,
  type QualitySummary,
} from './live-quality';
import { pairedBootstrapRocAuc } from './paired-bootstrap';

export interface ShadowPoint extends LabelledPoint {
  /** The served model's text risk on the same text; null when none is stored. */
  servedTextRisk: number | null;
}

export interface ShadowQuality extends ModelQuality {
  /** The served model's text risk over the same outcomes (those with both scores). */
  served: QualitySummary;
  /** Shadow minus served ROC-AUC on those outcomes, with a seeded paired-bootstrap 95% interval; null without both classes. */
  difference: { rocAuc: number; interval95: [number, number] } | null;
}

export function shadowQuality(points: readonly ShadowPoint[]): ShadowQuality[] {
  return qualityByModel(points).map((q) => {
    const pairs = points.filter(
      (p): p is ShadowPoint & { servedTextRisk: number } =>
        p.modelVersion === q.modelVersion && p.servedTextRisk !== null,
    );
    const labels = pairs.map((p) => p.label);
    const paired = pairedBootstrapRocAuc(
      pairs.map((p) => p.servedTextRisk),
      pairs.map((p) => p.risk),
      labels,
      { resamples: 500, seed: 'churnscope-shadow' },
    );
    return {
      ...q,
      served: qualitySummary(pairs.map((p) => ({ ...p, risk: p.servedTextRisk }))),
      difference: paired && { rocAuc: paired.difference, interval95: paired.interval },
    };
  });
}
