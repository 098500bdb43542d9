// Inference engine contract: the only path from text to model outputs, online and batch alike.
export {
  InferenceEngine,
  type TextScore,
  type TextTokenStates,
  type WindowTokenStates,
  type ScoreOptions,
  type EngineTokenizer,
  type InferenceEngineOptions,
} from './inference-engine';
export { createEngine, BUNDLE_MODEL_FILE, BUNDLE_TOKENIZER_FILE, type CreateEngineOptions } from './create-engine';
export { CountingTextModel } from './counting-text-model';
export { FakeTextModel, fakeTailLogit, type FakeTextModelOptions } from './fake-text-model';
export type { TextModel, ModelOutputs, ModelRunOptions, SideGraph, SideGraphSpec } from './text-model';
export type { BatchStats, SubmitOptions } from './micro-batcher';
export { MicroBatcher } from './micro-batcher';
export { splitWindows, aggregateWindowScores, type WindowScores } from './windows';
export { OnnxSession, type OnnxSessionOptions } from './onnx-session';
export { WorkerTextModel, type WorkerTextModelOptions } from './worker-text-model';
export { openTextModel, type OpenTextModelOptions, type OpenedTextModel } from './open-text-model';
export { modelFileProbabilities, type ModelFileRunOptions } from './model-file-probabilities';
export { planModelFiles, type ModelPrecision, type ModelFileChoice, type ModelFilePlan } from './model-precision';
