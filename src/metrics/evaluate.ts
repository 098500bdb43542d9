// One evaluation summary (ranking, calibration, thresholded counts), overall and per group, as written to model cards and `eval`.
import {
  atThreshold,
  averagePrecision,
  brierScore,
  expectedCalibrationError,
  rocAuc,
  type Confusion,
} from './binary-metrics';

export interface EvalMetrics {
  n: number;
  positives: number;
  rocAuc: number | null;
  prAuc: number | null;
  brier: number;
  ece: number;
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  confusion: Confusion;
}

/** NaN (one class present) becomes null so the JSON stays valid and says "not defined". */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function evaluate(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): EvalMetrics {
  const t = atThreshold(probs, labels, threshold);
  return {
    n: probs.length,
    positives: Array.from(labels).filter(Boolean).length,
    rocAuc: finite(rocAuc(probs, labels)),
    prAuc: finite(averagePrecision(probs, labels)),
    brier: brierScore(probs, labels),
    ece: expectedCalibrationError(probs, labels),
    threshold,
    precision: t.precision,
    recall: t.recall,
    f1: t.f1,
    confusion: { tp: t.tp, fp: t.fp, tn: t.tn, fn: t.fn },
  };
}

/** Metrics per group value (e.g. per source), groups with fewer than minCount rows left out. */
export function evaluateByGroup(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups: readonly string[],
  threshold: number,
  minCount = 1,
): Record<string, EvalMetrics> {
  const out: Record<string, EvalMetrics> = {};
  for (const g of [...new Set(groups)].sort()) {
    const idx = groups.flatMap((x, i) => (x === g ? [i] : []));
    if (idx.length < minCount) continue;
    out[g] = evaluate(
      idx.map((i) => probs[i]),
      idx.map((i) => labels[i]),
      threshold,
    );
  }
  return out;
}
