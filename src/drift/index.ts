// Drift contract: binning, PSI and KS, building a bundle's reference, and comparing stored scores with it.
export { quantileEdges, binCounts, categoryCounts, sampleQuantiles } from './histogram';
export { psi, PSI_EMPTY_SHARE } from './psi';
export { ksStatistic, ksPValue } from './ks';
export { centroidOf, cosineDistance } from './embedding-centroid';
export {
  buildDriftReference,
  DEFAULT_REFERENCE_BINS,
  type ReferenceText,
  type BuildReferenceOptions,
} from './build-reference';
export {
  compareToReference,
  type LiveDriftValues,
  type DriftSignalResult,
  type DriftThresholds,
} from './compare-to-reference';
export { driftReferenceForBundle, type BundleReferenceOptions } from './bundle-reference';
export {
  DriftMonitor,
  type DriftMonitorOptions,
  type DriftReport,
  type DriftQuery,
  type DriftWindow,
} from './drift-monitor';
