// A BERT-family encoder emitted into any GraphBuilder: [CLS]/[SEP] added per row, embeddings, post-LN layers, pooling, L2.
import type { BertParams } from '../../params/bert-params';
import { attr, DataType, int64Tensor, type GraphBuilder } from '../../proto';
import { linear } from '../use-lite-layer';
import { bertLayer, layerNorm, type BertLayerContext } from './bert-layer';

export interface BertEncoderValues {
  /** float [batch, hidden], unit L2 norm. */
  embedding: string;
  /** float [batch, sequence], 1 on the caller's tokens (special tokens not included): what heads read. */
  maskFloat: string;
}

/**
 * Reads int64 [batch, sequence] `inputIds`/`attentionMask`, right-padded and WITHOUT special tokens, exactly the engine's
 * contract for every encoder. Token types are all 0 (one segment), so the graph needs no token_type_ids input: row 0 of
 * the token-type table is added as a constant, which is what a Gather over all-zero ids would give.
 */
export function addBertEncoder(
  g: GraphBuilder,
  io: { inputIds: string; attentionMask: string; embeddingName?: string },
  params: BertParams,
): BertEncoderValues {
  const { arch } = params;
  const h = arch.hiddenSize;
  const shared = new Map<string, string>();
  const int64 = (hint: string, values: readonly number[]): string => {
    const key = `${hint}:${values.join(',')}`;
    if (!shared.has(key)) shared.set(key, g.constInt64(hint, values));
    return shared.get(key)!;
  };
  const maskFloat = g.op('Cast', [io.attentionMask], { to: attr.int(DataType.FLOAT) }, 'mask_float');
  const full = addSpecialTokens(g, io, arch.clsId, arch.sepId, int64);

  const words = g.op(
    'Gather',
    [
      g.initializer('embeddings.word_embeddings.weight', params.wordEmbeddings.data, params.wordEmbeddings.shape),
      full.ids,
    ],
    { axis: attr.int(0) },
    'word_embedded',
  );
  const seqLen = g.op(
    'Slice',
    [g.op('Shape', [full.ids], undefined, 'full_shape'), int64('one', [1]), int64('two', [2])],
    undefined,
    'full_seq_len',
  );
  const positionTable = g.initializer(
    'embeddings.position_embeddings.weight',
    params.positionEmbeddings.data,
    params.positionEmbeddings.shape,
  );
  const positions = g.op(
    'Slice',
    [positionTable, int64('zero', [0]), seqLen, int64('zero', [0])],
    undefined,
    'position_embedded',
  );
  let x = g.op('Add', [words, positions], undefined, 'word_plus_position');
  if (params.tokenTypeEmbeddings) {
    const row0 = params.tokenTypeEmbeddings.data.slice(0, h);
    x = g.op('Add', [x, g.initializer('embeddings.token_type_row0', row0, [h])], undefined, 'embeddings_sum');
  }
  x = layerNorm(
    { g, arch, attentionBias: '', int64 },
    x,
    params.embLnScale.data,
    params.embLnBias.data,
    'embeddings.LayerNorm',
  );

  const fullMaskF = g.op('Cast', [full.mask], { to: attr.int(DataType.FLOAT) }, 'full_mask_float');
  const padBias = g.op(
    'Mul',
    [
      g.op('Sub', [fullMaskF, g.constFloat('one_f', [1], [])], undefined, 'full_mask_minus_1'),
      g.constFloat('big', [1e9], []),
    ],
    undefined,
    'pad_bias',
  );
  const attentionBias = g.op('Unsqueeze', [padBias, int64('axes_1_2', [1, 2])], undefined, 'attention_bias');
  const ctx: BertLayerContext = { g, arch, attentionBias, int64 };
  params.layers.forEach((layer, i) => {
    x = bertLayer(ctx, x, layer, `encoder.layer.${i}`);
  });

  let pooled: string;
  if (arch.pooling === 'mean') {
    const summed = g.op(
      'MatMul',
      [g.op('Unsqueeze', [fullMaskF, int64('axes_1', [1])], undefined, 'mask_row'), x],
      undefined,
      'pool_sum',
    );
    const count = g.op(
      'Max',
      [
        g.op('ReduceSum', [fullMaskF, int64('axes_1', [1])], { keepdims: attr.int(1) }, 'token_count'),
        g.constFloat('one_pool', [1], []),
      ],
      undefined,
      'token_count_min1',
    );
    pooled = g.op(
      'Div',
      [g.op('Squeeze', [summed, int64('axes_1', [1])], undefined, 'pool_sum_2d'), count],
      undefined,
      'pooled',
    );
  } else {
    const cls = g.op('Gather', [x, g.constInt64('cls_index', [0], [])], { axis: attr.int(1) }, 'cls_hidden');
    pooled =
      arch.pooling === 'cls'
        ? cls
        : g.op(
            'Tanh',
            [linear(g, cls, params.poolerKernel!, params.poolerBias!, 'pooler.dense')],
            undefined,
            'pooler_out',
          );
  }
  const sumSq = g.op(
    'ReduceSum',
    [g.op('Mul', [pooled, pooled], undefined, 'pooled_sq'), int64('axes_1', [1])],
    { keepdims: attr.int(1) },
    'pooled_sumsq',
  );
  const clamped = g.op('Max', [sumSq, g.constFloat('l2_eps', [1e-12], [])], undefined, 'pooled_sumsq_clamped');
  const invNorm = g.op('Reciprocal', [g.op('Sqrt', [clamped], undefined, 'pooled_norm')], undefined, 'pooled_inv_norm');
  const [embedding] = g.node('Mul', [pooled, invNorm], {
    outputs: io.embeddingName ? [io.embeddingName] : 1,
    name: 'embedding',
  });
  return { embedding, maskFloat };
}

/**
 * [CLS] ids [SEP] per row, as int64 arithmetic on the mask: kept = [1, mask, 0]; [SEP] goes where kept is 0 and the slot
 * before it is 1. The [batch, 1] columns come from the runtime batch size, so empty batches and sequences stay valid.
 */
function addSpecialTokens(
  g: GraphBuilder,
  io: { inputIds: string; attentionMask: string },
  clsId: number,
  sepId: number,
  int64: (hint: string, v: readonly number[]) => string,
) {
  const mask = g.op(
    'Cast',
    [g.op('Greater', [io.attentionMask, g.constInt64('zero_scalar', [0], [])], undefined, 'mask_positive')],
    { to: attr.int(DataType.INT64) },
    'mask_i64',
  );
  const batch = g.op(
    'Slice',
    [g.op('Shape', [io.inputIds], undefined, 'ids_shape'), int64('zero', [0]), int64('one', [1])],
    undefined,
    'batch_dim',
  );
  const columnShape = g.op('Concat', [batch, int64('one', [1])], { axis: attr.int(0) }, 'column_shape');
  const column = (value: number, hint: string) =>
    g.op('ConstantOfShape', [columnShape], { value: attr.tensor(int64Tensor(`${hint}_value`, [value], [1])) }, hint);
  const ones = column(1, 'ones_col');
  const zeros = column(0, 'zeros_col');
  const concat = (parts: string[], hint: string) => g.op('Concat', parts, { axis: attr.int(1) }, hint);
  const kept = concat([ones, mask, zeros], 'kept');
  const before = concat([zeros, ones, mask], 'kept_before');
  const isSep = g.op(
    'Mul',
    [before, g.op('Sub', [g.constInt64('one_scalar', [1], []), kept], undefined, 'not_kept')],
    undefined,
    'is_sep',
  );
  const clsCol = g.op('Mul', [ones, g.constInt64('cls_id', [clsId], [])], undefined, 'cls_col');
  const body = concat([clsCol, g.op('Mul', [io.inputIds, mask], undefined, 'ids_masked'), zeros], 'ids_body');
  const ids = g.op(
    'Add',
    [
      g.op('Mul', [body, kept], undefined, 'ids_kept'),
      g.op('Mul', [isSep, g.constInt64('sep_id', [sepId], [])], undefined, 'sep_col'),
    ],
    undefined,
    'ids_full',
  );
  return { ids, mask: g.op('Add', [kept, isSep], undefined, 'mask_full') };
}
