// Public surface of data-parallel training: a full-mode spec computed over worker threads, and the thread-count rule.
export { DataParallelFullMode, type DataParallelOptions } from './data-parallel';
export { splitBatch } from './split-batch';
export { parseTrainThreads, resolveTrainThreads } from './thread-count';
export { openFullModeSpec, type FullModeSpecOptions, type OpenedFullModeSpec } from './open-full-mode-spec';
