// A data file's format from its name: CSV or JSON Lines, optionally gzipped; anything else is refused naming the file.
import { DataFileError } from '../errors';

export type RecordFormat = 'csv' | 'jsonl';

export function formatOf(file: string): RecordFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  throw new DataFileError(`${file}: unknown file type; use .csv, .jsonl or .ndjson (optionally .gz)`, { file });
}
