// Opens a model bundle (HF layout: onnx/model.onnx + tokenizer.json) into a ready InferenceEngine.
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE_FILES, readTokenLimit, type BundleInfo } from '../bundle';
import type { EngineConfig } from '../config';
import { ModelLoadError } from '../errors';
import type { Logger } from '../logging';
import { readRareTokenRule, TextTokenizer } from '../tokenize';
import { InferenceEngine } from './inference-engine';
import type { BatchStats } from './micro-batcher';
import { planModelFiles } from './model-precision';
import { openTextModel } from './open-text-model';

export interface CreateEngineOptions {
  bundleDir: string;
  config: EngineConfig;
  logger: Logger;
  onBatch?: (stats: BatchStats) => void;
  /** The bundle's config.json churnscope section when the caller already read it (the serving-model opener does). */
  info?: BundleInfo;
}

export const BUNDLE_MODEL_FILE = BUNDLE_FILES.model;
export const BUNDLE_TOKENIZER_FILE = BUNDLE_FILES.tokenizer;

export async function createEngine(opts: CreateEngineOptions): Promise<InferenceEngine> {
  // Explicit int8 on a bundle without the file is refused here, before anything loads.
  const plan = planModelFiles(opts.bundleDir, opts.config.precision);
  const tokenizerPath = path.join(opts.bundleDir, BUNDLE_TOKENIZER_FILE);
  const planned = [...new Set(opts.config.providers.map((p) => plan[p].path))];
  const missing = [...planned, tokenizerPath].filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    throw new ModelLoadError(`model bundle ${opts.bundleDir} is incomplete: missing ${missing.join(', ')}`);
  }
  // config.json is parsed once per open: the opener passes what it read.
  const tokenLimit = opts.info ? opts.info.tokenLimit : readTokenLimit(opts.bundleDir);
  const config = fitWindowsToModel(opts.config, tokenLimit, opts.logger);
  // The tokenizer keeps every token a text's windows can use; windowing, not the tokenizer, decides what is dropped.
  const tokenizer = await TextTokenizer.create({
    tokenizerJson: tokenizerPath,
    maxLength: config.maxTokens * config.maxWindows,
    logger: opts.logger,
  });
  const model = await openTextModel({ plan, config, logger: opts.logger });
  const chosen = plan[model.provider];
  opts.logger.info(
    { precision: chosen.precision, setting: config.precision, provider: model.provider, modelFile: chosen.path },
    `model precision ${chosen.precision} (${chosen.reason}): opened ${chosen.file} on ${model.provider}`,
  );
  const engine = new InferenceEngine({
    model,
    tokenizer,
    config,
    logger: opts.logger,
    onBatch: opts.onBatch,
    loaded: { precision: chosen.precision, modelFile: chosen.file },
    isRareToken: readRareTokenRule(tokenizerPath).isRare,
  });
  const { maxBatch, maxPaddingFraction, maxBatchTokens } = engine.policy;
  opts.logger.info({ maxBatch, maxPaddingFraction, maxBatchTokens }, `batch policy ${engine.policy.reason}`);
  return engine;
}

/**
 * A model with a bounded position table (BERT: max_position_embeddings less [CLS] and [SEP]) cannot take longer
 * windows than its bundle's tokenLimit; a larger configured window is lowered to it rather than failing per request.
 */
function fitWindowsToModel(config: EngineConfig, tokenLimit: number | undefined, logger: Logger): EngineConfig {
  if (tokenLimit === undefined || config.maxTokens <= tokenLimit) return config;
  const windowOverlap = Math.min(config.windowOverlap, Math.floor(tokenLimit / 4));
  logger.warn(
    { configured: config.maxTokens, tokenLimit, windowOverlap },
    `maxTokens ${config.maxTokens} exceeds the model's ${tokenLimit} tokens per window; using ${tokenLimit}`,
  );
  return { ...config, maxTokens: tokenLimit, windowOverlap };
}
