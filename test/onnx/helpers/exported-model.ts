// The exported USE-lite + head graph for tests: pretrained encoder weights, a fixed synthetic head, and an ORT runner over token-id rows.
import * as ort from 'onnxruntime-node';
import { buildUseLiteModel } from '../../../onnx/exporters/use-lite';
import { readUseLiteCheckpoint } from '../../../training/encoders/use-lite/checkpoint';
import type { LinearHeadParams, UseLiteParams } from '../../../onnx/params/use-lite-params';
import type { HybridHeadParams } from '../../../onnx/params/hybrid-head-params';
import { padBatch } from './int64-batch';

/** Not trained: a fixed, sign-varied head so that logits exercise both signs and every embedding dimension. */
export const TEST_HEAD: LinearHeadParams = {
  weight: { shape: [512], data: Float32Array.from({ length: 512 }, (_, i) => Math.sin(i * 0.7) * 0.2) },
  bias: -0.25,
};

const wave = (n: number, k: number, scale: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * k) * scale);

/** Hybrid head with every term on (embedding, unigram bag, 97 bigram buckets), fixed synthetic weights. */
export const TEST_HYBRID_HEAD: HybridHeadParams = {
  config: { embeddingDim: 512, vocabSize: 8002, bigramBuckets: 97, unigrams: true },
  embeddingWeight: { shape: [512], data: wave(512, 0.3, 0.5) },
  bias: 0.1,
  unigramWeight: { shape: [8002], data: wave(8002, 0.11, 0.3) },
  bigramWeight: { shape: [97], data: wave(97, 0.7, 0.4) },
};

export async function exportTestModel(
  head: LinearHeadParams | HybridHeadParams = TEST_HEAD,
): Promise<{ bytes: Uint8Array; params: UseLiteParams; head: LinearHeadParams | HybridHeadParams }> {
  const params = await readUseLiteCheckpoint();
  return { bytes: buildUseLiteModel({ params, head }), params, head };
}

export function createSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
}

export interface OrtResult {
  embedding: Float32Array[];
  logits: number[];
  probability: number[];
  dims: { embedding: readonly number[]; logits: readonly number[]; probability: readonly number[] };
}

/** One batch, right-padded with `padId` to the longest row (or to `padTo` columns). */
export async function runOrt(
  session: ort.InferenceSession,
  ids: number[][],
  opts: { padId?: number; padTo?: number } = {},
): Promise<OrtResult> {
  const rows = opts.padTo === undefined ? ids : [...ids, new Array<number>(opts.padTo).fill(0)];
  const padded = padBatch(rows, opts.padId ?? 0);
  // The extra full-length row above only fixes the width; drop it again before running.
  const batch = ids.length;
  const seq = padded.dims[1];
  const feeds = {
    input_ids: new ort.Tensor('int64', padded.inputIds.slice(0, batch * seq), [batch, seq]),
    attention_mask: new ort.Tensor('int64', padded.mask.slice(0, batch * seq), [batch, seq]),
  };
  const out = await session.run(feeds);
  const emb = out.embedding.data as Float32Array;
  const width = out.embedding.dims[1];
  return {
    embedding: Array.from({ length: batch }, (_, b) => emb.slice(b * width, (b + 1) * width)),
    logits: Array.from(out.logits.data as Float32Array),
    probability: Array.from(out.probability.data as Float32Array),
    dims: { embedding: out.embedding.dims, logits: out.logits.dims, probability: out.probability.dims },
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
