// The USE-lite encoder (embeddings, timing signal, two KonaTransformer layers, masked mean, tanh, L2) emitted into any GraphBuilder.
import type { UseLiteArchitecture, UseLiteParams } from '../params/use-lite-params';
import { attr, DataType, type GraphBuilder } from '../proto';
import { linear, transformerLayer, type LayerContext } from './use-lite-layer';

/**
 * Initializer names of the encoder's tail (pooled mean → dense → tanh → L2), which src/explain reads back from the
 * fp32 file to recompute the tail in TypeScript; exported so the writer and the reader cannot drift apart.
 */
export const USE_LITE_TAIL_INITIALIZERS = {
  tanhKernel: 'tanh_layer.weight',
  tanhBias: 'tanh_layer.bias',
  /** [vocab, embeddingDim]; its row count is the vocabulary the hybrid head's bigram code multiplies by. */
  tokenEmbedding: 'token_embedding_x2',
} as const;

export interface UseLiteEncoderValues {
  /** float [batch, 512], unit L2 norm: the original module's output. */
  embedding: string;
  /** float [batch, sequence, hidden]: the last layer's per-token states, exactly what the masked mean pools. */
  tokenStates: string;
  /** float [batch, sequence], 1 on real tokens: for heads that also read the token bag. */
  maskFloat: string;
}

/**
 * Adds the encoder reading int64 [batch, sequence] `inputIds`/`attentionMask` (right-padded). Shared so that other
 * heads (onnx/heads) can sit on the same encoder. `embeddingName` names the final value, to make it an output directly.
 */
export function addUseLiteEncoder(
  g: GraphBuilder,
  io: { inputIds: string; attentionMask: string; embeddingName?: string },
  params: UseLiteParams,
  arch: UseLiteArchitecture,
): UseLiteEncoderValues {
  const shared = new Map<string, string>();
  const int64 = (hint: string, values: readonly number[]): string => {
    const key = `${hint}:${values.join(',')}`;
    if (!shared.has(key)) shared.set(key, g.constInt64(hint, values));
    return shared.get(key)!;
  };
  const scalar = (hint: string, v: number) => g.constFloat(hint, [v], []);
  const unsqueeze = (x: string, axes: number[], name: string) =>
    g.op('Unsqueeze', [x, int64(`axes_${axes.join('_')}`, axes)], undefined, name);
  const ids = io.inputIds;
  const maskFloat = g.op('Cast', [io.attentionMask], { to: attr.int(DataType.FLOAT) }, 'mask_float');

  // The original adds Scatter(emb) + Scatter(emb + timing) (Layer_0/add), i.e. 2·emb + timing on real tokens.
  // Doubling the table once is exact in float32 and saves a per-token Mul.
  const doubled = params.tokenEmbedding.data.map((v) => v * 2);
  const table = g.initializer(USE_LITE_TAIL_INITIALIZERS.tokenEmbedding, doubled, params.tokenEmbedding.shape);
  const embedded = g.op('Gather', [table, ids], { axis: attr.int(0) }, 'embedded');

  // Timing signal for positions 0..sequence-1 from the runtime shape, so no length is baked in.
  const idsShape = g.op('Shape', [ids], undefined, 'ids_shape');
  const seqLen = g.op('Gather', [idsShape, g.constInt64('one_i64', [1], [])], { axis: attr.int(0) }, 'seq_len');
  const zero = g.constInt64('zero_i64', [0], []);
  const positions = g.op('Range', [zero, seqLen, g.constInt64('step_i64', [1], [])], undefined, 'positions');
  const posF = g.op('Cast', [positions], { to: attr.int(DataType.FLOAT) }, 'positions_float');
  const inv = g.initializer('inv_timescales', params.invTimescales.data, params.invTimescales.shape);
  const angles = g.op('Mul', [unsqueeze(posF, [1], 'positions_col'), inv], undefined, 'timing_angles');
  const sin = g.op('Sin', [angles], undefined, 'timing_sin');
  const cos = g.op('Cos', [angles], undefined, 'timing_cos');
  const signal = g.op('Concat', [sin, cos], { axis: attr.int(1) }, 'timing_signal');
  let x = g.op('Add', [embedded, signal], undefined, 'layer0_in');

  // (mask - 1)·1e9 is exactly 0 or -1e9 (TF: LogicalNot(mask)·-1e9); exp(-1e9 - max) is 0, so padding never leaks.
  const maskMinus1 = g.op('Sub', [maskFloat, scalar('one_f', 1)], undefined, 'mask_minus_1');
  const padBias = g.op('Mul', [maskMinus1, scalar('big', 1e9)], undefined, 'pad_bias');
  const attentionBias = unsqueeze(padBias, [1, 2], 'attention_bias');

  const ctx: LayerContext = { g, attentionBias, numHeads: arch.numHeads, epsilon: arch.layerNormEpsilon, int64 };
  params.layers.forEach((layer, i) => {
    x = transformerLayer(ctx, x, layer, `layer${i}`);
  });

  // Masked mean: one batched [1, S]·[S, 512] GEMM per row, divided by max(#tokens, 1) like the original.
  const summed = g.op('MatMul', [unsqueeze(maskFloat, [1], 'mask_row'), x], undefined, 'pool_sum');
  const count = g.op('ReduceSum', [maskFloat, int64('axes_1', [1])], { keepdims: attr.int(1) }, 'token_count');
  const denom = g.op('Max', [count, scalar('one_f_pool', 1)], undefined, 'token_count_min1');
  const summed2d = g.op('Squeeze', [summed, int64('axes_1', [1])], undefined, 'pool_sum_2d');
  const pooled = g.op('Div', [summed2d, denom], undefined, 'pooled');

  // linear() names its initializers `${name}.weight` / `${name}.bias`: the USE_LITE_TAIL_INITIALIZERS names.
  const tanhIn = linear(g, pooled, params.tanhKernel, params.tanhBias, 'tanh_layer');
  const hidden = g.op('Tanh', [tanhIn], undefined, 'tanh_out');
  // l2_normalize: x · rsqrt(max(Σx², 1e-12)).
  const squares = g.op('Mul', [hidden, hidden], undefined, 'tanh_sq');
  const sumSq = g.op('ReduceSum', [squares, int64('axes_1', [1])], { keepdims: attr.int(1) }, 'tanh_sumsq');
  const clamped = g.op('Max', [sumSq, scalar('l2_eps', 1e-12)], undefined, 'tanh_sumsq_clamped');
  const invNorm = g.op('Reciprocal', [g.op('Sqrt', [clamped], undefined, 'tanh_norm')], undefined, 'tanh_inv_norm');
  const outputs = io.embeddingName ? [io.embeddingName] : 1;
  const [embedding] = g.node('Mul', [hidden, invNorm], { outputs, name: 'embedding' });
  return { embedding, tokenStates: x, maskFloat };
}
