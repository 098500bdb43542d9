// Ingest contract: reading data files (CSV, JSON Lines, gzipped) into records and labelled texts.
export { readRecords, formatOf, type SourceRecord, type RecordFormat } from './read-records';
export {
  readLabelledTexts,
  SOURCES,
  type LabelledText,
  type LabelledDataset,
  type LabelledTextOptions,
  type TextSource,
} from './read-labelled-texts';
