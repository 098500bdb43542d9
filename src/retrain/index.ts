// Retraining contract: stored outcomes → challenger bundle → held-back comparison with the champion → gated promotion.
export { runRetrain, type RetrainOptions, type RetrainReport } from './run-retrain';
export { splitOutcomes, MIN_OUTCOMES, MIN_PER_CLASS, MIN_HELD_BACK_PER_CLASS } from './outcome-split';
export { RetrainJobs, type RetrainJobStatus, type RetrainJobsOptions, type RetrainPhase } from './retrain-jobs';
