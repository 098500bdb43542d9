// Where a resumed run starts: the progress file, checked against the rows the output really holds.
import fs from 'node:fs';
import path from 'node:path';
import { DataFileError } from '../errors';
import { errorsPath, progressPath, readProgress, type JobProgress } from './progress-file';
import { inspectOutput } from './row-writer';

/** Checks that the output holds exactly what the progress file claims before appending to it. */
export async function resumePoint(opts: {
  input: string;
  output: string;
  idColumn?: string;
}): Promise<{ progress: JobProgress; columns?: string[] } | undefined> {
  const progress = readProgress(opts.output);
  if (!progress) {
    if (fs.existsSync(opts.output)) {
      throw new DataFileError(`${opts.output}: cannot resume, ${progressPath(opts.output)} is missing`, {
        file: opts.output,
      });
    }
    return undefined;
  }
  if (path.resolve(progress.input) !== path.resolve(opts.input)) {
    throw new DataFileError(`${opts.output}: cannot resume, it was started from ${progress.input}, not ${opts.input}`, {
      file: opts.output,
    });
  }
  cutToClaimed(opts.output, progress.outputBytes);
  cutToClaimed(errorsPath(opts.output), progress.errorsBytes);
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

/**
 * A crash between writing a chunk and recording it leaves rows the progress file does not claim; they are cut so
 * the resumed run writes them exactly once. A file shorter than claimed means data was lost, which is not repairable.
 */
function cutToClaimed(file: string, claimed: number | undefined): void {
  if (claimed === undefined) return;
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  if (size < claimed) {
    throw new DataFileError(`${file}: cannot resume, it holds ${size} bytes but the progress file records ${claimed}`, {
      file,
    });
  }
  if (size > claimed) fs.truncateSync(file, claimed);
}
