// Opens a model bundle (HF layout: onnx/model.onnx + tokenizer.json) into a ready InferenceEngine.
import fs from 'node:fs';
import path from 'node:path';
import type { EngineConfig } from '../config';
import { ModelLoadError } from '../errors';
import type { Logger } from '../logging';
import { TextTokenizer } from '../tokenize';
import { InferenceEngine } from './inference-engine';
import type { BatchStats } from './micro-batcher';
import { OnnxSession } from './onnx-session';

export interface CreateEngineOptions {
  bundleDir: string;
  config: EngineConfig;
  logger: Logger;
  onBatch?: (stats: BatchStats) => void;
}

export const BUNDLE_MODEL_FILE = path.join('onnx', 'model.onnx');
export const BUNDLE_TOKENIZER_FILE = 'tokenizer.json';

export async function createEngine(opts: CreateEngineOptions): Promise<InferenceEngine> {
  const modelPath = path.join(opts.bundleDir, BUNDLE_MODEL_FILE);
  const tokenizerPath = path.join(opts.bundleDir, BUNDLE_TOKENIZER_FILE);
  const missing = [modelPath, tokenizerPath].filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    throw new ModelLoadError(`model bundle ${opts.bundleDir} is incomplete: missing ${missing.join(', ')}`);
  }
  // The tokenizer keeps every token a text's windows can use; windowing, not the tokenizer, decides what is dropped.
  const tokenizer = await TextTokenizer.create({
    tokenizerJson: tokenizerPath,
    maxLength: opts.config.maxTokens * opts.config.maxWindows,
    logger: opts.logger,
  });
  const model = await OnnxSession.create({ modelPath, providers: opts.config.providers, threads: opts.config.threads, logger: opts.logger });
  return new InferenceEngine({ model, tokenizer, config: opts.config, logger: opts.logger, onBatch: opts.onBatch });
}
