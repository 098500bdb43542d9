// A tiny random BERT on the real bert-base-uncased vocabulary, written as a Hugging Face folder for the tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBertParams, type BertArchitecture, type BertParams } from '../../../../training/encoders/bert';
import { writeHfCheckpoint } from '../../../../training/encoders/hf-checkpoint';
import type { SafetensorsDtype } from '../../../../training/encoders/hf-checkpoint';
import type { HybridHeadParams } from '../../../../onnx/params/hybrid-head-params';

export const BERT_TOKENIZER = path.resolve('fixtures/tokenizers/bert-base-uncased/tokenizer.json');

export const TINY_ARCH: BertArchitecture = {
  modelType: 'bert',
  vocabSize: 30522,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 2,
  intermediateSize: 64,
  maxPositions: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  activation: 'gelu',
  clsId: 101,
  sepId: 102,
  pooling: 'mean',
};

/** std 0.2 rather than BERT's 0.02: larger activations make parity checks meaningful (differences are not hidden in noise). */
export function tinyBert(overrides: Partial<BertArchitecture> = {}, seed = 3, std = 0.2): BertParams {
  return randomBertParams({ arch: { ...TINY_ARCH, ...overrides }, seed, std });
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeTinyCheckpoint(
  dir: string,
  params: BertParams,
  opts: { dtype?: SafetensorsDtype; prefix?: string } = {},
): string {
  writeHfCheckpoint({ dir, params, tokenizerFile: BERT_TOKENIZER, ...opts });
  return dir;
}

const wave = (n: number, k: number, scale: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3) * scale);

/** A fixed synthetic hybrid head with every term on, so parity covers the bags as well as the embedding. */
export function testHead(dim: number, vocabSize: number): HybridHeadParams {
  return {
    config: { embeddingDim: dim, vocabSize, bigramBuckets: 97, unigrams: true },
    embeddingWeight: { shape: [dim], data: wave(dim, 0.7, 3) },
    bias: -0.2,
    unigramWeight: { shape: [vocabSize], data: wave(vocabSize, 0.013, 0.5) },
    bigramWeight: { shape: [97], data: wave(97, 0.9, 0.4) },
  };
}
