// The model next to its baseline on the same texts: ROC-AUC and PR-AUC of both, the margin, and whether the model earns its cost.
import { averagePrecision, rocAuc } from '../metrics';
import { BASELINE_METHOD } from './tfidf-baseline';

export interface BaselineComparison {
  method: typeof BASELINE_METHOD;
  texts: number;
  baseline: { rocAuc: number; prAuc: number };
  model: { rocAuc: number; prAuc: number };
  /** model ROC-AUC − baseline ROC-AUC. */
  rocAucMargin: number;
  modelBeatsBaseline: boolean;
}

export function compareWithBaseline(
  modelScores: ArrayLike<number>,
  baselineScores: ArrayLike<number>,
  labels: ArrayLike<number>,
): BaselineComparison {
  const model = { rocAuc: rocAuc(modelScores, labels), prAuc: averagePrecision(modelScores, labels) };
  const baseline = { rocAuc: rocAuc(baselineScores, labels), prAuc: averagePrecision(baselineScores, labels) };
  const rocAucMargin = model.rocAuc - baseline.rocAuc;
  return {
    method: BASELINE_METHOD,
    texts: labels.length,
    baseline,
    model,
    rocAucMargin,
    modelBeatsBaseline: rocAucMargin > 0,
  };
}

/** One sentence for cards and summaries; a model that loses says so plainly. */
export function describeComparison(c: BaselineComparison): string {
  const figures = `ROC-AUC ${c.model.rocAuc.toFixed(4)} vs ${c.baseline.rocAuc.toFixed(4)} for TF-IDF + logistic regression on the same ${c.texts} texts`;
  return c.modelBeatsBaseline
    ? `The model beats its baseline: ${figures} (+${c.rocAucMargin.toFixed(4)}).`
    : `The model does NOT beat its baseline: ${figures} (${c.rocAucMargin.toFixed(4)}); on this data the language model does not earn its cost.`;
}
