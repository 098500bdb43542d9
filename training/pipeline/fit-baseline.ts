// Training step: the TF-IDF + logistic regression baseline fitted on the same training split and compared on validation.
import { compareWithBaseline, TfidfBaseline, type BaselineComparison } from '../../src/baseline';
import type { Logger } from '../../src/logging';

export interface FitBaselineArgs {
  texts: readonly string[];
  labels: readonly number[];
  split: { train: number[]; valid: number[] };
  /** The model's calibrated validation probabilities, in split.valid order (what the card's metrics use). */
  modelProbs: ArrayLike<number>;
  logger: Logger;
}

export function fitBaseline(a: FitBaselineArgs): { baseline: TfidfBaseline; comparison: BaselineComparison } {
  const started = performance.now();
  const baseline = TfidfBaseline.fit(
    a.split.train.map((i) => a.texts[i]),
    a.split.train.map((i) => a.labels[i]),
  );
  const comparison = compareWithBaseline(
    a.modelProbs,
    baseline.predict(a.split.valid.map((i) => a.texts[i])),
    a.split.valid.map((i) => a.labels[i]),
  );
  a.logger.info(
    {
      model: comparison.model.rocAuc,
      baseline: comparison.baseline.rocAuc,
      margin: comparison.rocAucMargin,
      seconds: (performance.now() - started) / 1000,
    },
    'validation ROC-AUC: model vs TF-IDF + logistic regression baseline',
  );
  return { baseline, comparison };
}
