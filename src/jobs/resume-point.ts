// Where a resumed run starts: the progress file, checked against the rows the output really holds.
import fs from 'node:fs';
import path from 'node:path';
import { DataFileError } from '../errors';
import { progressPath, readProgress, type JobProgress } from './progress-file';
import { inspectOutput } from './row-writer';

/** Checks that the output holds exactly what the progress file claims before appending to it. */
export async function resumePoint(opts: { input: string; output: string; idColumn?: string }): Promise<{ progress: JobProgress; columns?: string[] } | undefined> {
  const progress = readProgress(opts.output);
  if (!progress) {
    if (fs.existsSync(opts.output)) {
      throw new DataFileError(`${opts.output}: cannot resume, ${progressPath(opts.output)} is missing`, { file: opts.output });
    }
    return undefined;
  }
  if (path.resolve(progress.input) !== path.resolve(opts.input)) {
    throw new DataFileError(`${opts.output}: cannot resume, it was started from ${progress.input}, not ${opts.input}`, { file: opts.output });
  }
  const existing = await inspectOutput(opts.output);
  const lastId = opts.idColumn && existing.lastRow ? String(existing.lastRow[opts.idColumn]) : undefined;
  if (existing.rows !== progress.written || (opts.idColumn && progress.written > 0 && lastId !== progress.lastId)) {
    throw new DataFileError(
      `${opts.output}: cannot resume, it has ${existing.rows} rows (last id ${lastId ?? '-'}) but the progress file records ${progress.written} (last id ${progress.lastId ?? '-'})`,
      { file: opts.output },
    );
  }
  return { progress: { ...progress, done: false }, columns: existing.columns };
}
