// The public view of a job (GET /v1/jobs/:id): state and progress, never server paths.
import type { JobRecord, JobState } from '../store';
import type { JobSpec } from './job-spec';

export interface JobCounts {
  rowsDone: number;
  rowsTotal: number | null;
  scored: number;
  errors: number;
  rowsPerSecond: number;
  modelVersion?: string;
}

export interface JobStatus {
  id: string;
  state: JobState;
  rowsDone: number;
  rowsTotal: number | null;
  scored: number;
  rowsPerSecond: number;
  errors: number;
  modelVersion: string | null;
  createdAt: string;
  updatedAt: string;
  error: string | null;
  input: { format: string; filename: string | null; bytes: number; textCol: string; storeTexts: boolean };
}

const EMPTY_COUNTS: JobCounts = { rowsDone: 0, rowsTotal: null, scored: 0, errors: 0, rowsPerSecond: 0 };

/** A job row's counts with defaults for a job that has not reported yet. */
export function countsOf(rec: Pick<JobRecord, 'counts'>): JobCounts {
  return { ...EMPTY_COUNTS, ...((rec.counts as Partial<JobCounts> | null) ?? {}) };
}

export function toJobStatus(rec: JobRecord): JobStatus {
  const c = countsOf(rec);
  const spec = (rec.input ?? {}) as Partial<JobSpec>;
  return {
    id: rec.id,
    state: rec.state,
    rowsDone: c.rowsDone,
    rowsTotal: c.rowsTotal,
    scored: c.scored,
    rowsPerSecond: c.rowsPerSecond,
    errors: c.errors,
    modelVersion: c.modelVersion ?? null,
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
    error: rec.error,
    input: {
      format: spec.format ?? 'csv',
      filename: spec.filename ?? null,
      bytes: spec.bytes ?? 0,
      textCol: spec.textCol ?? 'text',
      storeTexts: spec.storeTexts ?? false,
    },
  };
}
