// Batch jobs contract: scoring whole files with resumable progress.
export { scoreFile, SCORE_COLUMNS, type ScoreFileOptions, type ScoreFileSummary, type ScoreProgress } from './score-file';
export { readRows, textProblem, type RowItem } from './read-rows';
export { errorsPath, progressPath, readProgress, type JobProgress } from './progress-file';
export type { RiskDistribution } from './risk-summary';
