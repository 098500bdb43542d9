// Opens a data file as one byte stream (gunzipped when .gz), with every failure of the file itself a DataFileError naming it.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataFileError } from '../errors';
import { MarkInvalidUtf8 } from './mark-invalid-utf8';

export interface OpenDataFileOptions {
  /** Called with the (compressed) bytes read so far: comparable to the file size for an ETA. */
  onBytes?: (bytes: number) => void;
  /** Replace each invalid UTF-8 byte by a marker so the row holding it can be reported (batch jobs). */
  markInvalidUtf8?: boolean;
}

/** Checked before opening, so a directory or an unreadable file fails with a sentence rather than a stream event. */
function checkFile(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new DataFileError(`${file}: ${why}`, { file, cause: e });
  }
  if (stat.isDirectory()) throw new DataFileError(`${file}: is a directory, not a data file`, { file });
  if (!stat.isFile()) throw new DataFileError(`${file}: not a regular file`, { file });
}

/**
 * pipe() does not forward errors: each stage's error is passed on by hand, so whoever reads the last stream sees the
 * first failure (a missing gzip header, a read error) instead of an unhandled 'error' event.
 */
export function openDataFile(file: string, opts: OpenDataFileOptions = {}): Readable {
  checkFile(file);
  const stages: Readable[] = [fs.createReadStream(file)];
  let bytes = 0;
  if (opts.onBytes) stages[0].on('data', (c: Buffer) => opts.onBytes?.((bytes += c.length)));
  if (file.toLowerCase().endsWith('.gz')) stages.push(createGunzip());
  if (opts.markInvalidUtf8) stages.push(new MarkInvalidUtf8());
  for (let i = 1; i < stages.length; i++) {
    const next = stages[i] as Readable & NodeJS.WritableStream;
    stages[i - 1].on('error', (e) => next.destroy(e));
    stages[i - 1].pipe(next);
  }
  return stages[stages.length - 1];
}

/** The sentence for a stream failure of a data file: gzip damage is the common one. */
export function dataFileFailure(file: string, e: unknown): DataFileError {
  if (e instanceof DataFileError) return e;
  const err = e as Error & { code?: string };
  const what =
    err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR'
      ? 'not a valid gzip file (corrupt or truncated)'
      : `cannot read (${err.message})`;
  return new DataFileError(`${file}: ${what}`, { file, cause: e });
}
