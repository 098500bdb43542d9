// One post-LayerNorm BERT encoder layer (self-attention, exact-GELU feed-forward) emitted into a GraphBuilder.
import type { BertArchitecture, BertLayerParams } from '../../params/bert-params';
import { attr, type GraphBuilder } from '../../proto';
import { linear } from '../use-lite-layer';

export interface BertLayerContext {
  g: GraphBuilder;
  arch: BertArchitecture;
  /** [batch, 1, 1, sequence]: 0 on real tokens, -1e9 on padding, added to every head's scores. */
  attentionBias: string;
  int64: (hint: string, values: readonly number[]) => string;
}

export function layerNorm(
  ctx: BertLayerContext,
  x: string,
  scale: Float32Array,
  bias: Float32Array,
  name: string,
): string {
  const { g } = ctx;
  const s = g.initializer(`${name}.weight`, scale, [scale.length]);
  const b = g.initializer(`${name}.bias`, bias, [bias.length]);
  return g.op(
    'LayerNormalization',
    [x, s, b],
    { axis: attr.int(-1), epsilon: attr.float(ctx.arch.layerNormEps) },
    name,
  );
}

export function bertLayer(ctx: BertLayerContext, x: string, p: BertLayerParams, name: string): string {
  const { g, arch } = ctx;
  const h = arch.hiddenSize;
  const heads = arch.numHeads;
  const depth = h / heads;
  // q, k and v in one [H, 3H] GEMM: the same dot products as three, one kernel launch instead of three.
  const qkvKernel = concatColumns([p.queryKernel.data, p.keyKernel.data, p.valueKernel.data], h);
  const qkvBias = new Float32Array([...p.queryBias.data, ...p.keyBias.data, ...p.valueBias.data]);
  const qkv = linear(g, x, { shape: [h, 3 * h], data: qkvKernel }, { shape: [3 * h], data: qkvBias }, `${name}.qkv`);
  const split = g.op(
    'Reshape',
    [qkv, ctx.int64('qkv_heads_shape', [0, 0, 3 * heads, depth])],
    undefined,
    `${name}.qkv_heads`,
  );
  const byHead = g.op('Transpose', [split], { perm: attr.ints([0, 2, 1, 3]) }, `${name}.qkv_bhsd`);
  const [q, k, v] = g.node('Split', [byHead, ctx.int64('qkv_split', [heads, heads, heads])], {
    attrs: { axis: attr.int(1) },
    outputs: 3,
    name: `${name}.split`,
  });
  const kt = g.op('Transpose', [k], { perm: attr.ints([0, 1, 3, 2]) }, `${name}.k_t`);
  const raw = g.op('MatMul', [q, kt], undefined, `${name}.qk`);
  const scaled = g.op(
    'Mul',
    [raw, g.constFloat(`${name}.scale`, [1 / Math.sqrt(depth)], [])],
    undefined,
    `${name}.qk_scaled`,
  );
  const probs = g.op(
    'Softmax',
    [g.op('Add', [scaled, ctx.attentionBias], undefined, `${name}.scores`)],
    { axis: attr.int(-1) },
    `${name}.probs`,
  );
  const context = g.op('MatMul', [probs, v], undefined, `${name}.context`);
  const merged = g.op(
    'Reshape',
    [
      g.op('Transpose', [context], { perm: attr.ints([0, 2, 1, 3]) }, `${name}.context_bshd`),
      ctx.int64('merge_heads_shape', [0, 0, h]),
    ],
    undefined,
    `${name}.context_merged`,
  );
  const attn = linear(g, merged, p.attnOutKernel, p.attnOutBias, `${name}.attention.output.dense`);
  const y = layerNorm(
    ctx,
    g.op('Add', [attn, x], undefined, `${name}.attn_residual`),
    p.attnLnScale.data,
    p.attnLnBias.data,
    `${name}.attention.output.LayerNorm`,
  );
  const f1 = linear(g, y, p.ffn1Kernel, p.ffn1Bias, `${name}.intermediate.dense`);
  const act = arch.activation === 'relu' ? g.op('Relu', [f1], undefined, `${name}.relu`) : gelu(g, f1, name);
  const f2 = linear(g, act, p.ffn2Kernel, p.ffn2Bias, `${name}.output.dense`);
  return layerNorm(
    ctx,
    g.op('Add', [f2, y], undefined, `${name}.ffn_residual`),
    p.outLnScale.data,
    p.outLnBias.data,
    `${name}.output.LayerNorm`,
  );
}

/** ½x(1 + erf(x/√2)) in the op order of the TF.js port (Gelu itself is opset 20; Erf is in every opset we target). */
function gelu(g: GraphBuilder, x: string, name: string): string {
  const half = g.op('Mul', [x, g.constFloat(`${name}.gelu_half`, [0.5], [])], undefined, `${name}.gelu_half_x`);
  const erf = g.op(
    'Erf',
    [g.op('Mul', [x, g.constFloat(`${name}.gelu_rsqrt2`, [Math.SQRT1_2], [])], undefined, `${name}.gelu_scaled`)],
    undefined,
    `${name}.gelu_erf`,
  );
  const onePlus = g.op('Add', [erf, g.constFloat(`${name}.gelu_one`, [1], [])], undefined, `${name}.gelu_1p`);
  return g.op('Mul', [half, onePlus], undefined, `${name}.gelu`);
}

/** Row-major [H, a] blocks side by side into [H, Σa]. */
function concatColumns(blocks: Float32Array[], rows: number): Float32Array {
  const widths = blocks.map((b) => b.length / rows);
  const total = widths.reduce((a, b) => a + b, 0);
  const out = new Float32Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let at = r * total;
    blocks.forEach((b, i) => {
      out.set(b.subarray(r * widths[i], (r + 1) * widths[i]), at);
      at += widths[i];
    });
  }
  return out;
}
