// Ingest contract: reading data files (CSV, JSON Lines, gzipped) into records and labelled texts.
export { cellText } from './cell-text';
export { readRecords, type SourceRecord } from './read-records';
export { formatOf, type RecordFormat } from './data-format';
export { readRows, textProblem, type RowItem, type ReadRowsOptions } from './read-rows';
export { INVALID_UTF8_MARKER } from './mark-invalid-utf8';
export { toTimestamp, parseTimestampCell, timestampProblem, TIMESTAMP_FORMATS } from './parse-timestamp';
export {
  readLabelledTexts,
  type LabelledText,
  type LabelledDataset,
  type LabelledTextOptions,
} from './read-labelled-texts';
export { timeBoundSchema, rangeStart, rangeEnd, rangeInOrder } from './time-range';
