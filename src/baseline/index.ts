// The baseline stage's contract: a TF-IDF + logistic regression model to show next to the language model.
export {
  BASELINE_METHOD,
  DEFAULT_BASELINE_OPTIONS,
  TfidfBaseline,
  type BaselineFile,
  type BaselineOptions,
} from './tfidf-baseline';
export { compareWithBaseline, describeComparison, type BaselineComparison } from './baseline-comparison';
export { TfidfDenseBaseline, type TfidfDenseOptions } from './tfidf-dense-baseline';
