// Where one job's files live: input, results, errors and the progress sidecar, all in the job's own folder.
import path from 'node:path';
import { errorsPath, progressPath } from './progress-file';
import type { JobSpec } from './job-spec';

export interface JobFiles {
  dir: string;
  results: string;
  errors: string;
  progress: string;
}

export function jobDir(jobsDir: string, jobId: string): string {
  return path.join(path.resolve(jobsDir), jobId);
}

export function jobFiles(jobsDir: string, jobId: string, spec: Pick<JobSpec, 'output'>): JobFiles {
  const dir = jobDir(jobsDir, jobId);
  const results = path.join(dir, `results.${spec.output}`);
  return { dir, results, errors: errorsPath(results), progress: progressPath(results) };
}

/** Uploads land in the job folder under a name whose extension tells the reader the format. */
export function uploadName(format: JobSpec['format'], gzipped: boolean): string {
  return `input.${format}${gzipped ? '.gz' : ''}`;
}
