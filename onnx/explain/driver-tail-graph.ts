// Writes the phrase drivers' tail as its own small graph: pooled states → tanh dense → L2 → linear head, for ORT to run.
import { DataType, GraphBuilder, attr } from '../proto';

/** The graph's one input and one output, which the engine's side-graph runner feeds and fetches by name. */
export const DRIVER_TAIL_IO = { input: 'pooled', output: 'tail_logit' } as const;

export interface DriverTailWeights {
  /** Width of a pooled token state. */
  dim: number;
  /** Width of the tanh layer. */
  out: number;
  /** [dim, out] row-major, as the USE-lite exporter stores tanh_layer.weight. */
  kernel: Float32Array;
  /** [out] */
  bias: Float32Array;
  /** [out]: the head's weight on the L2-normalised embedding. */
  headWeight: Float32Array;
  headBias: number;
}

/**
 * float [rows, dim] → float [rows]: tanh(x·K + b)·w / ‖tanh(x·K + b)‖ + b₀, the model's own tail after pooling.
 * The n-gram bag terms of a hybrid head are not here: they depend on ids, not states, and stay exact in TypeScript.
 * One MatMul over all of a request's variants replaces a 512×512 dot-product loop per variant on the event loop.
 */
export function buildDriverTailGraph(w: DriverTailWeights): Uint8Array {
  const g = new GraphBuilder('driver_tail');
  const x = g.input(DRIVER_TAIL_IO.input, DataType.FLOAT, ['rows', w.dim]);
  const kernel = g.initializer('tail_kernel', w.kernel, [w.dim, w.out]);
  const bias = g.initializer('tail_bias', w.bias, [w.out]);
  const t = g.op('Tanh', [g.op('Add', [g.op('MatMul', [x, kernel]), bias])], undefined, 'tail_tanh');
  const axis1 = g.constInt64('tail_axis1', [1]);
  const sumSq = g.op('ReduceSum', [g.op('Mul', [t, t]), axis1], { keepdims: attr.int(0) }, 'tail_sum_sq');
  const norm = g.op('Sqrt', [g.op('Max', [sumSq, g.constFloat('tail_eps', [1e-12], [])])], undefined, 'tail_norm');
  const head = g.initializer('tail_head_w', w.headWeight, [w.out, 1]);
  const dot = g.op('Squeeze', [g.op('MatMul', [t, head]), axis1], undefined, 'tail_dot');
  const logit = g.op('Add', [g.op('Div', [dot, norm]), g.constFloat('tail_head_b', [w.headBias], [])]);
  g.output(logit, DataType.FLOAT, ['rows'], DRIVER_TAIL_IO.output);
  return g.encode({ docString: 'churnscope phrase-driver tail (derived from the bundle fp32 model at load)' });
}
