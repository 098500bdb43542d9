// Streams records from CSV or JSON Lines files (optionally gzipped), each with its 1-based line number for error messages.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { DataFileError } from '../errors';
import { jsonlLines } from './jsonl-lines';

export type RecordFormat = 'csv' | 'jsonl';
export interface SourceRecord {
  /** Line where the record starts (1-based, header included for CSV). */
  line: number;
  values: Record<string, unknown>;
}

export function formatOf(file: string): RecordFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  throw new DataFileError(`${file}: unknown file type; use .csv, .jsonl or .ndjson (optionally .gz)`, { file });
}

function open(file: string): Readable {
  if (!fs.existsSync(file)) throw new DataFileError(`${file}: file not found`, { file });
  const raw = fs.createReadStream(file);
  return file.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

export async function* readRecords(file: string): AsyncGenerator<SourceRecord> {
  const format = formatOf(file);
  const stream = open(file);
  try {
    if (format === 'csv') yield* readCsv(stream);
    else yield* readJsonl(file, stream);
  } catch (e) {
    if (e instanceof DataFileError) throw e;
    const err = e as Error & { code?: string; lines?: number };
    throw new DataFileError(`${file}${err.lines ? ` line ${err.lines}` : ''}: cannot read (${err.message})`, {
      file,
      row: err.lines,
      cause: e,
    });
  } finally {
    stream.destroy();
  }
}

async function* readCsv(stream: Readable): AsyncGenerator<SourceRecord> {
  const parser = stream.pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, info: true, relax_quotes: false }),
  );
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { line: rec.info.lines, values: rec.record };
  }
}

async function* readJsonl(file: string, stream: Readable): AsyncGenerator<SourceRecord> {
  for await (const l of jsonlLines(stream)) {
    if (l.problem !== undefined) throw new DataFileError(`${file} line ${l.line}: ${l.problem}`, { file, row: l.line });
    yield { line: l.line, values: l.values };
  }
}
