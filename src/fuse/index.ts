// Fusion contract, tabular half: the declared feature schema, its row encoding, and the tree model that scores behaviour.
export {
  loadFeatureSchema, parseFeatureSchema, featureSchemaSchema, FEATURE_TYPES, MISSING_POLICIES, POLICIES_BY_TYPE,
  type FeatureSchema, type FeatureSpec, type FeatureType, type MissingPolicy,
} from './feature-schema';
export { fitFeatureStats, featureStatsSchema, UNKNOWN_CODE, type FeatureStats, type FeatureStat } from './feature-stats';
export { encodeRow } from './encode-row';
export {
  TabularModel, TABULAR_FORMAT,
  type TabularTrainOptions, type TabularPrediction, type FeatureContribution, type TabularModelJson,
} from './tabular-model';
export { GradientBoostedClassifier, type GbdtParamsInput, type GbdtJson, type TrainingHistory } from './gbdt';
