// Contract of the pure-TypeScript histogram gradient-boosting classifier.
export {
  GradientBoostedClassifier,
  gbdtJsonSchema,
  GBDT_FORMAT,
  type GbdtJson,
  type Contributions,
} from './classifier';
export type { GbdtTrainOptions, LabelledRows, TrainingHistory } from './train-gbdt';
export { gbdtParamsSchema, type GbdtParams, type GbdtParamsInput } from './params';
export type { FeatureKind } from './binning';
