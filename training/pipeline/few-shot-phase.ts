// Few-shot mode as a pipeline step: label descriptions through the frozen encoder, then the prior-informed linear head.
import type { InferenceEngine } from '../../src/engine';
import type { Logger } from '../../src/logging';
import { rocAuc } from '../../src/metrics';
import { TextTokenizer } from '../../src/tokenize';
import { fitFewShotHead, priorDirection } from '../few-shot/few-shot-head';
import type { FewShotPrompts } from '../few-shot/read-prompts';
import { HybridHead, type HybridHeadConfig } from '../heads/hybrid-head';
import type { TrainResult } from '../loop/train-loop';
import { headModeSpec } from '../modes/head-mode';
import { SMALL_SET_TRAIN_ROWS, type TrainOptions } from './options';

export type ResolvedMode = Exclude<TrainOptions['mode'], 'auto'>;

/** `auto`: few-shot below SMALL_SET_TRAIN_ROWS training rows (where it beat head mode in cv:few-shot), else head. */
export function resolveMode(mode: TrainOptions['mode'], trainRows: number, logger: Logger): ResolvedMode {
  if (mode === 'auto') {
    const chosen = trainRows < SMALL_SET_TRAIN_ROWS ? 'few-shot' : 'head';
    logger.info(
      { mode: chosen, trainRows, threshold: SMALL_SET_TRAIN_ROWS },
      `--mode auto: ${chosen} (${trainRows} training rows, few-shot below ${SMALL_SET_TRAIN_ROWS}; --mode forces one)`,
    );
    return chosen;
  }
  if (mode === 'few-shot' && trainRows >= SMALL_SET_TRAIN_ROWS) {
    logger.warn(
      { trainRows, threshold: SMALL_SET_TRAIN_ROWS },
      `--mode few-shot on ${trainRows} training rows: head mode usually scores higher from ${SMALL_SET_TRAIN_ROWS} rows`,
    );
  }
  return mode;
}

export interface FewShotPhaseArgs {
  /** The frozen encoder that embedded the training texts (its embeddings and the prompts' must be comparable). */
  engine: InferenceEngine;
  tokenizerJson: object;
  maxTokens: number;
  embeddings: Float32Array;
  headConfig: HybridHeadConfig;
  ids: Int32Array[];
  labels: number[];
  split: { train: number[]; valid: number[] };
  prompts: FewShotPrompts;
}

/** The trained head (embedding-only) and a one-step result, so the card and notes read like the other modes'. */
export async function runFewShotPhase(a: FewShotPhaseArgs): Promise<{ head: HybridHead; result: TrainResult }> {
  const started = performance.now();
  const { positive, negative } = a.prompts;
  const tokenizer = await TextTokenizer.create({ tokenizerJson: a.tokenizerJson, maxLength: a.maxTokens });
  const promptIds = (await tokenizer.encodeBatch([...positive, ...negative])).map((t) => t.ids);
  tokenizer.dispose();
  const dim = a.headConfig.embeddingDim;
  const { embeddings: promptRows } = await a.engine.embedTokenized(promptIds);
  const prompts = new Float32Array(promptRows.length * dim);
  promptRows.forEach((e, i) => prompts.set(e, i * dim));
  const fit = fitFewShotHead({
    embeddings: a.embeddings,
    dim,
    labels: a.labels,
    train: a.split.train,
    direction: priorDirection(prompts, dim, positive.length),
  });
  const config: HybridHeadConfig = { ...a.headConfig, unigrams: false, bigramBuckets: 0 };
  const head = new HybridHead(config, { config, ...fit });
  const spec = headModeSpec(head, { embeddings: a.embeddings, embeddingDim: dim, ids: a.ids, labels: a.labels });
  const validAuc = rocAuc(
    await spec.predict(a.split.valid),
    a.split.valid.map((i) => a.labels[i]),
  );
  const seconds = (performance.now() - started) / 1000;
  const record = {
    epoch: 0,
    trainLoss: Number.NaN,
    validAuc,
    seconds,
    examplesPerSecond: a.split.train.length / seconds,
  };
  return { head, result: { history: [record], bestEpoch: 0, bestAuc: validAuc, stoppedEarly: false } };
}
