// A deliberately cheap text model (mean of token embeddings + logistic head) with the serving contract of the real one: for fast end-to-end tests and I/O benchmarks.
import { attr, DataType, GraphBuilder } from '../proto';

export interface BagOfEmbeddingsOptions {
  /** [vocabSize * dim] row-major token embedding table. */
  table: Float32Array;
  vocabSize: number;
  dim: number;
  /** [dim] head weight on the L2-normalised mean embedding. */
  weight: Float32Array;
  bias: number;
}

/**
 * Same inputs and outputs as buildUseLiteModel (input_ids/attention_mask int64 [batch, sequence] → embedding
 * [batch, dim], logits and probability [batch]), so the engine, the bundle loader and the jobs runner cannot tell
 * them apart; it costs microseconds per text, which lets tests and benchmarks exercise everything around the model.
 */
export function buildBagOfEmbeddingsModel(opts: BagOfEmbeddingsOptions): Uint8Array {
  const { vocabSize, dim } = opts;
  if (opts.table.length !== vocabSize * dim)
    throw new RangeError(`table has ${opts.table.length} values, expected ${vocabSize}×${dim}`);
  if (opts.weight.length !== dim) throw new RangeError(`weight has ${opts.weight.length} values, expected ${dim}`);
  const g = new GraphBuilder('bag_of_embeddings');
  const ids = g.input('input_ids', DataType.INT64, ['batch', 'sequence']);
  const mask = g.input('attention_mask', DataType.INT64, ['batch', 'sequence']);
  const table = g.initializer('token_table', opts.table, [vocabSize, dim]);
  const axis1 = g.constInt64('axis1', [1]);

  const tokens = g.op('Gather', [table, ids], { axis: attr.int(0) }, 'tokens'); // [b, s, d]
  const maskF = g.op('Unsqueeze', [g.op('Cast', [mask], { to: attr.int(DataType.FLOAT) }), g.constInt64('axis2', [2])]); // [b, s, 1]
  const summed = g.op('ReduceSum', [g.op('Mul', [tokens, maskF]), axis1], { keepdims: attr.int(0) }); // [b, d]
  // An all-padding row has no tokens; clamping its count to 1 keeps it finite (a zero vector, then epsilon-normalised).
  const count = g.op('Max', [
    g.op('ReduceSum', [maskF, axis1], { keepdims: attr.int(0) }),
    g.constFloat('one', [1], []),
  ]); // [b, 1]
  const mean = g.op('Div', [summed, count]);
  const norm = g.op('Sqrt', [
    g.op('Add', [
      g.op('ReduceSum', [g.op('Mul', [mean, mean]), axis1], { keepdims: attr.int(1) }),
      g.constFloat('eps', [1e-12], []),
    ]),
  ]);
  const [embedding] = g.node('Div', [mean, norm], { outputs: ['embedding'] });

  const w = g.initializer('head.weight', opts.weight, [dim, 1]);
  const logitCol = g.op('Add', [g.op('MatMul', [embedding, w]), g.constFloat('head.bias', [opts.bias], [])]);
  const [logits] = g.node('Squeeze', [logitCol, axis1], { outputs: ['logits'] });
  const [probability] = g.node('Sigmoid', [logits], { outputs: ['probability'] });
  g.output(embedding, DataType.FLOAT, ['batch', dim]);
  g.output(logits, DataType.FLOAT, ['batch']);
  g.output(probability, DataType.FLOAT, ['batch']);
  return g.encode({
    docString: 'bag-of-embeddings baseline (tests and benchmarks)',
    metadata: { 'churnscope.encoder': 'bag-of-embeddings', 'churnscope.embedding_dim': String(dim) },
  });
}
