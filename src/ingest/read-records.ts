// Strict records of a data file for training and imports: the one streaming reader, where any bad row stops the read.
import { DataFileError } from '../errors';
import { readRows } from './read-rows';

export interface SourceRecord {
  /** Line where the record starts (1-based, header included for CSV). */
  line: number;
  values: Record<string, unknown>;
}

/** A training or import file is all-or-nothing: the first malformed row is an error naming file and line. */
export async function* readRecords(file: string): AsyncGenerator<SourceRecord> {
  for await (const item of readRows({ file, markInvalidUtf8: false })) {
    if (item.kind === 'bad')
      throw new DataFileError(`${file} line ${item.line}: ${item.reason}`, { file, row: item.line });
    yield { line: item.line, values: item.values };
  }
}
