// Fusion contract: the declared feature schema, the tree model that scores behaviour, text-risk aggregates and the fused model.
export {
  loadFeatureSchema,
  parseFeatureSchema,
  featureSchemaSchema,
  FEATURE_TYPES,
  MISSING_POLICIES,
  POLICIES_BY_TYPE,
  type FeatureSchema,
  type FeatureSpec,
  type FeatureType,
  type MissingPolicy,
} from './feature-schema';
export {
  fitFeatureStats,
  featureStatsSchema,
  UNKNOWN_CODE,
  type FeatureStats,
  type FeatureStat,
} from './feature-stats';
export { encodeRow } from './encode-row';
export {
  TabularModel,
  TABULAR_FORMAT,
  type TabularTrainOptions,
  type TabularPrediction,
  type FeatureContribution,
  type TabularModelJson,
} from './tabular-model';
export { GradientBoostedClassifier, type GbdtParamsInput, type GbdtJson, type TrainingHistory } from './gbdt';
export {
  aggregateTextRisks,
  textFeatureValues,
  DEFAULT_HALF_LIFE_DAYS,
  type TextAggregates,
  type ScoredText,
} from './text-aggregates';
export { FusionModel, FUSION_FILE, type FusionInput, type FusionPrediction } from './fusion-model';
export { trainFusion } from './train-fusion';
export { customerRisk, type CustomerRisk, type CustomerRiskDeps, type CustomerRiskInput } from './customer-risk';
