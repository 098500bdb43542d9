// One KonaTransformer layer (pre-LayerNorm attention + FFN) emitted into a GraphBuilder, in the op forms onnxruntime fuses well.
import type { NamedArray, UseLiteLayerParams } from '../params/use-lite-params';
import { attr, type GraphBuilder } from '../proto';

export interface LayerContext {
  g: GraphBuilder;
  /** [batch, 1, 1, sequence]: 0 on real tokens, -1e9 on padding, added to every head's scores. */
  attentionBias: string;
  numHeads: number;
  epsilon: number;
  /** An int64 initializer shared by every node that needs the same values (shapes, split sizes). */
  int64: (hint: string, values: readonly number[]) => string;
}

/** x · kernel + bias; kernels are [in, out] as TF stores them, so no transpose is needed. */
export function linear(g: GraphBuilder, x: string, kernel: NamedArray, bias: NamedArray, name: string): string {
  const w = g.initializer(`${name}.weight`, kernel.data, kernel.shape);
  const b = g.initializer(`${name}.bias`, bias.data, bias.shape);
  return g.op('Add', [g.op('MatMul', [x, w], undefined, `${name}.matmul`), b], undefined, name);
}

/**
 * The original computes (x-mean)·rsqrt(mean((x-mean)²)+eps)·scale+bias: exactly LayerNormalization's definition,
 * and the fused op keeps the two passes in one kernel.
 */
export function layerNorm(ctx: LayerContext, x: string, scale: Float32Array, bias: Float32Array, name: string): string {
  const { g } = ctx;
  const s = g.initializer(`${name}.scale`, scale, [scale.length]);
  const b = g.initializer(`${name}.bias`, bias, [bias.length]);
  return g.op('LayerNormalization', [x, s, b], { axis: attr.int(-1), epsilon: attr.float(ctx.epsilon) }, name);
}

export function transformerLayer(ctx: LayerContext, x: string, p: UseLiteLayerParams, name: string): string {
  const { g, numHeads } = ctx;
  const dIn = p.attnLnScale.shape[0];
  const depth = dIn / numHeads;

  const h = layerNorm(ctx, x, p.attnLnScale.data, p.attnLnBias.data, `${name}.attn_ln`);
  // One [dIn, 3·dIn] GEMM; q, k, v are consecutive dIn blocks, each split into heads of `depth` (TF split_last_dimension).
  const qkv = linear(g, h, p.qkvKernel, p.qkvBias, `${name}.qkv`);
  const heads = g.op(
    'Reshape',
    [qkv, ctx.int64('qkv_heads_shape', [0, 0, 3 * numHeads, depth])],
    undefined,
    `${name}.qkv_heads`,
  );
  const byHead = g.op('Transpose', [heads], { perm: attr.ints([0, 2, 1, 3]) }, `${name}.qkv_bhsd`);
  const splits = ctx.int64('qkv_split', [numHeads, numHeads, numHeads]);
  const [q, k, v] = g.node('Split', [byHead, splits], {
    attrs: { axis: attr.int(1) },
    outputs: 3,
    name: `${name}.split`,
  });
  // TF scales q (not the scores) by fround(depth^-0.5): 0.125 for layer 0, 0.0883883… for layer 1.
  const scale = g.constFloat(`${name}.q_scale`, [Math.fround(depth ** -0.5)], []);
  const qs = g.op('Mul', [q, scale], undefined, `${name}.q_scaled`);
  const kt = g.op('Transpose', [k], { perm: attr.ints([0, 1, 3, 2]) }, `${name}.k_t`);
  const scores = g.op(
    'Add',
    [g.op('MatMul', [qs, kt], undefined, `${name}.qk`), ctx.attentionBias],
    undefined,
    `${name}.scores`,
  );
  const probs = g.op('Softmax', [scores], { axis: attr.int(-1) }, `${name}.probs`);
  const context = g.op('MatMul', [probs, v], undefined, `${name}.context`);
  const merged = g.op(
    'Reshape',
    [
      g.op('Transpose', [context], { perm: attr.ints([0, 2, 1, 3]) }, `${name}.context_bshd`),
      ctx.int64('merge_heads_shape', [0, 0, dIn]),
    ],
    undefined,
    `${name}.context_merged`,
  );
  const attn = linear(g, merged, p.outKernel, p.outBias, `${name}.attn_out`);

  // Layer 0 widens 256 → 512, so its residual goes through a dense projection (AdjustResidualInput).
  let residual = x;
  if (p.residualKernel && p.residualBias) residual = linear(g, x, p.residualKernel, p.residualBias, `${name}.residual`);
  const y = g.op('Add', [attn, residual], undefined, `${name}.attn_residual`);

  const h2 = layerNorm(ctx, y, p.ffnLnScale.data, p.ffnLnBias.data, `${name}.ffn_ln`);
  const f1 = g.op('Relu', [linear(g, h2, p.ffn1Kernel, p.ffn1Bias, `${name}.ffn1`)], undefined, `${name}.ffn1_relu`);
  const f2 = linear(g, f1, p.ffn2Kernel, p.ffn2Bias, `${name}.ffn2`);
  return g.op('Add', [f2, y], undefined, `${name}.out`);
}
