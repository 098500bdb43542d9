// Training pipeline contract: one call trains, evaluates and exports a servable bundle.
export { trainTextModel, type TrainTextModelArgs } from './train-text-model';
export { trainOptionsSchema, loopDefaults, type TrainOptions } from './options';
export { TrainingInterruptedError } from '../loop/train-loop';
export { parseTrainThreads } from '../parallel/thread-count';
