// Batch jobs contract: scoring whole files with resumable progress, and the runner behind /v1/jobs.
export {
  scoreFile,
  SCORE_COLUMNS,
  type ScoreFileOptions,
  type ScoreFileSummary,
  type ScoreProgress,
} from './score-file';
export { errorsPath, progressPath, readProgress, type JobProgress } from './progress-file';
export type { RiskDistribution } from './risk-summary';
export type { ScoredRow } from './score-chunk';
export { JobRunner, type JobRunnerOptions, type JobModelLease } from './job-runner';
export { jobDir, jobFiles, uploadName, type JobFiles } from './job-files';
export { jobOptionsSchema, parseJobSpec, type JobOptions, type JobSpec } from './job-spec';
export { toJobStatus, type JobStatus, type JobCounts } from './job-status';
export { jobTextId } from './store-job-rows';
export { retryTransient, DEFAULT_RETRY, type RetryPolicy } from './retry-transient';
export { QueuedJobs, queuedCursorSchema, type QueuedJobsOptions, type QueuedCursor } from './queued-jobs';
export { queuedResultText } from './queued-results';
export { ChunkWorker, type ChunkWorkerOptions, type ChunkWorkerStats } from './chunk-worker';
export { isQueuedSpec } from './job-spec';
export { UploadSweeper, type UploadSweeperOptions } from './upload-sweeper';
