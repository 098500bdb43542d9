// The one streaming reader of CSV / JSON Lines (optionally gzipped): good rows and bad rows (line, reason) in input order.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DataFileError } from '../errors';
import { formatOf } from './data-format';
import { jsonlLines } from './jsonl-lines';
import { INVALID_UTF8_MARKER } from './mark-invalid-utf8';
import { dataFileFailure, openDataFile } from './open-data-file';

export type RowItem =
  { kind: 'row'; line: number; values: Record<string, unknown> } | { kind: 'bad'; line: number; reason: string };

export interface ReadRowsOptions {
  file: string;
  /** Checked against the CSV header up front, so a wrong --text-col fails before any scoring. */
  textColumn?: string;
  /** Called with the compressed bytes consumed so far: comparable to the file size for an ETA. */
  onBytes?: (bytes: number) => void;
  /** Mark invalid UTF-8 bytes so the row can be reported (default true); strict readers decode them as U+FFFD. */
  markInvalidUtf8?: boolean;
  /** Receives the CSV header once it has been read. */
  onHeader?: (columns: string[]) => void;
}

export async function* readRows(opts: ReadRowsOptions): AsyncGenerator<RowItem> {
  const { file } = opts;
  const format = formatOf(file);
  const stream = openDataFile(file, { onBytes: opts.onBytes, markInvalidUtf8: opts.markInvalidUtf8 ?? true });
  try {
    if (format === 'csv') yield* readCsv(opts, stream);
    else yield* readJsonl(stream);
  } catch (e) {
    throw dataFileFailure(file, e);
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
    if (opts.textColumn !== undefined && !header.includes(opts.textColumn)) {
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
