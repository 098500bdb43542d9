// The resume sidecar: how far a scoring run got, written atomically so a crash never leaves a torn progress file.
import fs from 'node:fs';
import { writeJsonAtomicSync } from '../io';
import { DataFileError } from '../errors';

export interface JobProgress {
  input: string;
  /** Last input line whose record (good or bad) is reflected in the output or the errors file. */
  line: number;
  /** Input records consumed, good and bad. */
  records: number;
  /** Data rows in the output file (header excluded). */
  written: number;
  errors: number;
  /** Size of the output and errors files when this progress was written: a resume cuts anything past them (rows written before a crash but never claimed). */
  outputBytes?: number;
  errorsBytes?: number;
  /** Id column value of the last written row, when an id column is set; checked on resume. */
  lastId?: string;
  done: boolean;
  updatedAt: string;
}

export function progressPath(output: string): string {
  return `${output}.progress.json`;
}

/** Bad rows of a run go beside its output. */
export function errorsPath(output: string): string {
  return `${output}.errors.jsonl`;
}

export function writeProgress(output: string, progress: JobProgress): void {
  // A resume trusts this file: fsynced before the rename, so a crash leaves the old progress or the new one.
  writeJsonAtomicSync(progressPath(output), progress);
}

export function readProgress(output: string): JobProgress | undefined {
  const file = progressPath(output);
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as JobProgress;
  } catch (e) {
    throw new DataFileError(`${file}: unreadable progress file (${(e as Error).message})`, { file, cause: e });
  }
}
