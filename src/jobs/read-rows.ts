// Tolerant streaming reader for batch jobs: yields good rows and bad rows (with line and reason) in input order, and counts bytes read for ETA.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { DataFileError } from '../errors';
import { formatOf } from '../ingest/read-records';
import { jsonlLines } from '../ingest/jsonl-lines';
import { INVALID_UTF8_MARKER, MarkInvalidUtf8 } from './mark-invalid-utf8';

export type RowItem =
  { kind: 'row'; line: number; values: Record<string, unknown> } | { kind: 'bad'; line: number; reason: string };

export interface ReadRowsOptions {
  file: string;
  /** Checked against the CSV header up front, so a wrong --text-col fails before any scoring. */
  textColumn: string;
  /** Called with the compressed bytes consumed so far: comparable to the file size for an ETA. */
  onBytes?: (bytes: number) => void;
  /** Receives the CSV header once it has been read. */
  onHeader?: (columns: string[]) => void;
}

function open(file: string, onBytes?: (n: number) => void): Readable {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new DataFileError(`${file}: file not found`, { file });
  const raw = fs.createReadStream(file);
  let bytes = 0;
  raw.on('data', (c) => onBytes?.((bytes += c.length)));
  const marker = new MarkInvalidUtf8();
  if (!file.toLowerCase().endsWith('.gz')) {
    raw.on('error', (e) => marker.destroy(e));
    return raw.pipe(marker);
  }
  const gunzip = createGunzip();
  // pipe() does not forward errors, and a missing gzip header must surface as a read failure of this file.
  raw.on('error', (e) => gunzip.destroy(e));
  gunzip.on('error', (e) => marker.destroy(e));
  return raw.pipe(gunzip).pipe(marker);
}

export async function* readRows(opts: ReadRowsOptions): AsyncGenerator<RowItem> {
  const { file } = opts;
  const format = formatOf(file);
  const stream = open(file, opts.onBytes);
  try {
    if (format === 'csv') yield* readCsv(opts, stream);
    else yield* readJsonl(stream);
  } catch (e) {
    if (e instanceof DataFileError) throw e;
    const err = e as Error & { code?: string };
    const what = err.code === 'Z_DATA_ERROR' ? 'not a valid gzip file' : `cannot read (${err.message})`;
    throw new DataFileError(`${file}: ${what}`, { file, cause: e });
  } finally {
    stream.destroy();
  }
}

const BROKEN_UTF8 = INVALID_UTF8_MARKER;

async function* readCsv(opts: ReadRowsOptions, stream: Readable): AsyncGenerator<RowItem> {
  let header: string[] | undefined;
  const parser = stream.pipe(
    parse({
      columns: (h: string[]) => (header = h),
      bom: true,
      skip_empty_lines: true,
      info: true,
      skip_records_with_error: true,
    }),
  );
  stream.on('error', (e) => parser.destroy(e));
  // 'skip' fires synchronously while parsing, so a skipped record is always queued before any later record is read.
  const skipped: RowItem[] = [];
  parser.on('skip', (e: Error & { lines?: number }) => {
    skipped.push({ kind: 'bad', line: e.lines ?? 0, reason: `malformed CSV: ${e.message}` });
  });
  let checked = false;
  const checkHeader = () => {
    if (checked) return;
    checked = true;
    if (!header) throw new DataFileError(`${opts.file}: empty file, no CSV header`, { file: opts.file });
    if (!header.includes(opts.textColumn)) {
      throw new DataFileError(
        `${opts.file}: no "${opts.textColumn}" column in the CSV header (columns: ${header.join(', ')})`,
        {
          file: opts.file,
          field: opts.textColumn,
          row: 1,
        },
      );
    }
    opts.onHeader?.(header);
  };
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    checkHeader();
    while (skipped.length && skipped[0].line < rec.info.lines) yield skipped.shift()!;
    yield { kind: 'row', line: rec.info.lines, values: rec.record };
  }
  checkHeader();
  yield* skipped;
}

async function* readJsonl(stream: Readable): AsyncGenerator<RowItem> {
  for await (const l of jsonlLines(stream)) {
    yield l.problem !== undefined
      ? { kind: 'bad', line: l.line, reason: l.problem }
      : { kind: 'row', line: l.line, values: l.values };
  }
}

/** Why a row's text cannot be scored, or undefined when it can. */
export function textProblem(values: Record<string, unknown>, column: string): string | undefined {
  if (!(column in values)) return `missing text column "${column}"`;
  const text = values[column];
  if (typeof text !== 'string') return `text column "${column}" is not a string`;
  if (text.trim() === '') return `empty text in column "${column}"`;
  if (text.includes(BROKEN_UTF8)) return 'invalid UTF-8 in the text (a byte sequence that is not UTF-8)';
  return undefined;
}
