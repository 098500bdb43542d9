// Explanation contract: which phrases of a text drive its churn risk.
export { explainText, type ExplainTextOptions, type DriverPhrase, type TextExplanation } from './explain-text';
export { splitUnits, type SplitUnitsOptions } from './split-units';
export { capUnits } from './cap-units';
export { transcriptRegions } from './transcript-regions';
export type { TextSpan } from './text-span';
