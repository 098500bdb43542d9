// Appends scored rows to a CSV or JSONL output in whole chunks with synchronous writes, so an interrupted run never leaves a half line.
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { DataFileError } from '../errors';
import { formatOf, type RecordFormat } from '../ingest';

export type OutputRow = Record<string, unknown>;

export class RowWriter {
  private constructor(
    private readonly fd: number,
    readonly format: RecordFormat,
    private columns: string[] | undefined,
    private size: number,
  ) {}

  /** Opens the output; fresh runs truncate it, resumed runs append under the header already there. */
  static open(file: string, opts: { append: boolean; columns?: string[] }): RowWriter {
    const format = formatOf(file);
    if (/\.gz$/i.test(file))
      throw new DataFileError(`${file}: compressed output is not supported; use .csv or .jsonl`, { file });
    const fd = fs.openSync(file, opts.append ? 'a' : 'w');
    return new RowWriter(fd, format, opts.columns, fs.fstatSync(fd).size);
  }

  get header(): string[] | undefined {
    return this.columns;
  }

  /** The file's size after the last complete chunk: what a progress record may claim. */
  get bytes(): number {
    return this.size;
  }

  /** Writes one chunk; for CSV the first chunk of a fresh file decides the columns and writes the header. */
  write(rows: OutputRow[], columnsIfNew: () => string[]): void {
    if (rows.length === 0) return;
    let text: string;
    if (this.format === 'jsonl') {
      text = rows.map((r) => `${JSON.stringify(r)}\n`).join('');
    } else {
      const header = !this.columns;
      this.columns ??= columnsIfNew();
      text = stringify(rows, { columns: this.columns, header, cast: { object: (v) => JSON.stringify(v) } });
    }
    this.size += writeAll(this.fd, Buffer.from(text, 'utf8'));
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

export function writeAll(fd: number, buf: Buffer): number {
  for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off);
  return buf.length;
}

export interface ExistingOutput {
  rows: number;
  columns?: string[];
  lastRow?: Record<string, unknown>;
}

/** Counts the rows an earlier run wrote (rows, not bytes) and returns the last one, to check against the progress file. */
export async function inspectOutput(file: string): Promise<ExistingOutput> {
  if (!fs.existsSync(file)) return { rows: 0 };
  if (formatOf(file) === 'jsonl') {
    let rows = 0;
    let last: string | undefined;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (line.trim()) {
        rows++;
        last = line;
      }
    }
    return { rows, lastRow: last === undefined ? undefined : (JSON.parse(last) as Record<string, unknown>) };
  }
  let columns: string[] | undefined;
  let rows = 0;
  let lastRow: Record<string, unknown> | undefined;
  const parser = fs.createReadStream(file).pipe(parse({ columns: (h: string[]) => (columns = h), bom: true }));
  try {
    for await (const rec of parser as AsyncIterable<Record<string, string>>) {
      rows++;
      lastRow = rec;
    }
  } catch (e) {
    throw new DataFileError(`${file}: existing output is not valid CSV, cannot resume (${(e as Error).message})`, {
      file,
      cause: e,
    });
  }
  return { rows, columns, lastRow };
}
