// Ingest contract: reading data files (CSV, JSON Lines, gzipped) into records and labelled texts.
export { cellText } from './cell-text';
export { readRecords, formatOf, type SourceRecord, type RecordFormat } from './read-records';
export { toTimestamp, parseTimestampCell, timestampProblem, TIMESTAMP_FORMATS } from './parse-timestamp';
export {
  readLabelledTexts,
  type LabelledText,
  type LabelledDataset,
  type LabelledTextOptions,
} from './read-labelled-texts';
