// Model bundle contract: what a served model directory holds and how its metadata is read.
export { readBundleInfo, readTokenLimit, bundleInfoSchema, BUNDLE_CONFIG_FILE, type BundleInfo } from './bundle-info';
export { BUNDLE_FILES, type BundleFile } from './bundle-layout';
export {
  readValidationSet,
  writeValidationSet,
  hasValidationSet,
  validationSetPath,
  type ValidationSet,
} from './validation-set';
export { hasBaseline, readBaseline, writeBaseline } from './baseline-file';
export {
  readDriftReference,
  writeDriftReference,
  hasDriftReference,
  driftReferencePath,
  driftReferenceSchema,
  DRIFT_SIGNALS,
  NUMERIC_DRIFT_SIGNALS,
  type DriftReference,
  type DriftSignal,
  type NumericDriftSignal,
  type NumericHistogram,
} from './drift-reference-file';
