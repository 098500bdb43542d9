// Explanation contract: which phrases of a text drive its churn risk.
export { explainText, type ExplainTextOptions, type DriverPhrase, type TextExplanation } from './explain-text';
export type { DriverOptions } from './driver-units';
export { explainDecomposed, type ExplainDecomposedOptions, type DecomposedResult } from './explain-decomposed';
export { readUseLiteTail, type DriverTail, type ReadTail } from './driver-tail';
export {
  PhraseDrivers,
  openPhraseDrivers,
  DECOMPOSED_LOGIT_TOLERANCE,
  type DriverMethod,
  type DriverResult,
  type DriverCounts,
} from './phrase-drivers';
export { splitUnits, type SplitUnitsOptions } from './split-units';
export { capUnits } from './cap-units';
export { transcriptRegions } from './transcript-regions';
export type { TextSpan } from './text-span';
export {
  deletionFaithfulness,
  type DriverMethodUnderTest,
  type MethodFaithfulness,
  type FaithfulnessReport,
} from './driver-faithfulness';
