// Writes the hybrid churn head into an ONNX graph: linear on the embedding plus unigram and hashed-bigram bags over input_ids.
import type { HybridHeadParams } from '../params/hybrid-head-params';
import { attr, type GraphBuilder } from '../proto';

export interface HeadInputs {
  /** float [batch, dim] */
  embedding: string;
  /** int64 [batch, sequence] */
  inputIds: string;
  /** float [batch, sequence], 1 on real tokens */
  maskFloat: string;
}

/** Initializer names of the head's parameters, read back by src/explain (the decomposed phrase drivers). */
export const HYBRID_HEAD_INITIALIZERS = {
  embeddingWeight: 'head_w_emb',
  bias: 'head_bias',
  unigramWeight: 'head_w_uni',
  bigramWeight: 'head_w_bi',
} as const;

/** Adds the head; returns the name of the float [batch] logits. Mirrors training/heads/hybrid-head.ts term by term. */
export function addHybridHead(g: GraphBuilder, io: HeadInputs, head: HybridHeadParams): string {
  const { config } = head;
  const axis1 = g.constInt64('head_axis1', [1]);
  const w = g.initializer(HYBRID_HEAD_INITIALIZERS.embeddingWeight, head.embeddingWeight.data, [
    config.embeddingDim,
    1,
  ]);
  const linear = g.op(
    'Squeeze',
    [g.op('MatMul', [io.embedding, w], undefined, 'head_emb_dot'), axis1],
    undefined,
    'head_emb_term',
  );
  let logits = g.op(
    'Add',
    [linear, g.constFloat(HYBRID_HEAD_INITIALIZERS.bias, [head.bias], [])],
    undefined,
    'head_linear',
  );
  let one: string | undefined; // created on first use: an unused initializer makes ORT warn at load
  /** Σ_t weight[index_t]·mask_t / √max(Σ mask, 1) over the sequence axis. */
  const bag = (table: string, index: string, mask: string, hint: string) => {
    const picked = g.op(
      'Mul',
      [g.op('Gather', [table, index], { axis: attr.int(0) }, `${hint}_gather`), mask],
      undefined,
      `${hint}_masked`,
    );
    const sum = g.op('ReduceSum', [picked, axis1], { keepdims: attr.int(0) }, `${hint}_sum`);
    const count = g.op('ReduceSum', [mask, axis1], { keepdims: attr.int(0) }, `${hint}_count`);
    return g.op(
      'Div',
      [
        sum,
        g.op(
          'Sqrt',
          [g.op('Max', [count, (one ??= g.constFloat('head_one', [1], []))], undefined, `${hint}_count1`)],
          undefined,
          `${hint}_norm`,
        ),
      ],
      undefined,
      `${hint}_term`,
    );
  };
  if (head.unigramWeight) {
    const table = g.initializer(HYBRID_HEAD_INITIALIZERS.unigramWeight, head.unigramWeight.data, [config.vocabSize]);
    logits = g.op('Add', [logits, bag(table, io.inputIds, io.maskFloat, 'head_uni')], undefined, 'head_plus_uni');
  }
  if (head.bigramWeight && config.bigramBuckets > 0) {
    const zero = g.constInt64('head_zero', [0]);
    const minusOne = g.constInt64('head_minus1', [-1]);
    const end = g.constInt64('head_end', [Number.MAX_SAFE_INTEGER]);
    const left = (x: string, h: string) => g.op('Slice', [x, zero, minusOne, axis1], undefined, `${h}_left`);
    const right = (x: string, h: string) => g.op('Slice', [x, axis1, end, axis1], undefined, `${h}_right`);
    const joined = g.op(
      'Add',
      [
        g.op(
          'Mul',
          [left(io.inputIds, 'ids'), g.constInt64('head_vocab', [config.vocabSize], [])],
          undefined,
          'head_bigram_hi',
        ),
        right(io.inputIds, 'ids'),
      ],
      undefined,
      'head_bigram_code',
    );
    const bucket = g.op(
      'Mod',
      [joined, g.constInt64('head_buckets', [config.bigramBuckets], [])],
      { fmod: attr.int(0) },
      'head_bigram_bucket',
    );
    const pairMask = g.op(
      'Mul',
      [left(io.maskFloat, 'mask'), right(io.maskFloat, 'mask')],
      undefined,
      'head_bigram_mask',
    );
    const table = g.initializer(HYBRID_HEAD_INITIALIZERS.bigramWeight, head.bigramWeight.data, [config.bigramBuckets]);
    logits = g.op('Add', [logits, bag(table, bucket, pairMask, 'head_bi')], undefined, 'head_plus_bi');
  }
  return logits;
}
