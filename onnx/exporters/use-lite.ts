// Exports USE-lite (KonaTransformer encoder) plus a churn head (linear or hybrid) as ONE ONNX graph: ids in; embedding, logits, probability out.
import {
  USE_LITE_ARCHITECTURE,
  type LinearHeadParams,
  type UseLiteArchitecture,
  type UseLiteParams,
} from '../params/use-lite-params';
import type { HybridHeadParams } from '../params/hybrid-head-params';
import { addHybridHead } from '../heads/hybrid-head';
import { DataType, GraphBuilder } from '../proto';
import { addUseLiteEncoder } from './use-lite-encoder';
import { validateUseLiteParams } from './use-lite-validate';

export interface BuildUseLiteOptions {
  params: UseLiteParams;
  /** A plain linear head on the embedding, or the hybrid head (embedding term + token-id unigram/bigram bags). */
  head: LinearHeadParams | HybridHeadParams;
  arch?: UseLiteArchitecture;
  /** Extra provenance stored in the model's metadata_props. */
  metadata?: Record<string, string>;
  /** Also output `token_states` (default true): what the decomposed phrase drivers read; fetched only on request. */
  tokenStates?: boolean;
}

/** Per-token states after the last encoder layer, float [batch, sequence, hidden]: the values the mean pooling reads. */
export const TOKEN_STATES_OUTPUT = 'token_states';

export const USE_LITE_ONNX_IO = {
  inputs: ['input_ids', 'attention_mask'],
  outputs: ['embedding', 'logits', 'probability'],
  optionalOutputs: [TOKEN_STATES_OUTPUT],
} as const;

/** Initializer names of the plain linear head (the hybrid head's are HYBRID_HEAD_INITIALIZERS). */
export const LINEAR_HEAD_INITIALIZERS = { weight: 'head.weight', bias: 'head.bias' } as const;

/**
 * Input contract: int64 [batch, sequence], right-padded (real tokens first, attention_mask 1 on them), ids in
 * [0, vocabSize) (Gather would also accept negative ids, counting from the end). Positions are column indices as
 * in the original graph, so left padding would shift the timing signal. Any length works, 0 and > 128 included.
 */
export function buildUseLiteModel(opts: BuildUseLiteOptions): Uint8Array {
  const arch = opts.arch ?? USE_LITE_ARCHITECTURE;
  const { params, head } = opts;
  validateUseLiteParams(params, head, arch);
  const g = new GraphBuilder('use_lite_churn');
  const inputIds = g.input('input_ids', DataType.INT64, ['batch', 'sequence']);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch', 'sequence']);
  const { embedding, tokenStates, maskFloat } = addUseLiteEncoder(
    g,
    { inputIds, attentionMask, embeddingName: 'embedding' },
    params,
    arch,
  );

  let logitValue: string;
  if ('embeddingWeight' in head) {
    logitValue = addHybridHead(g, { embedding, inputIds, maskFloat }, head);
  } else {
    // Head weight as a [512, 1] matrix: a 1-D MatMul operand fails in onnxruntime for an empty batch.
    const w = g.initializer(LINEAR_HEAD_INITIALIZERS.weight, head.weight.data, [head.weight.data.length, 1]);
    const dot = g.op('MatMul', [embedding, w], undefined, 'head.matmul');
    const logitCol = g.op(
      'Add',
      [dot, g.constFloat(LINEAR_HEAD_INITIALIZERS.bias, [head.bias], [])],
      undefined,
      'logit_col',
    );
    logitValue = g.op('Squeeze', [logitCol, g.constInt64('head.axes', [1])], undefined, 'head.logits');
  }
  const [logits] = g.node('Identity', [logitValue], { outputs: ['logits'] });
  const [probability] = g.node('Sigmoid', [logits], { outputs: ['probability'] });

  g.output(embedding, DataType.FLOAT, ['batch', arch.outputDim]);
  g.output(logits, DataType.FLOAT, ['batch']);
  g.output(probability, DataType.FLOAT, ['batch']);
  // An extra output costs nothing unless fetched: ORT computes it anyway (pooling reads it) and copies only fetches.
  if (opts.tokenStates ?? true) {
    g.output(tokenStates, DataType.FLOAT, ['batch', 'sequence', arch.hiddenDim], TOKEN_STATES_OUTPUT);
  }
  return g.encode({
    docString: 'Universal Sentence Encoder Lite (KonaTransformer) + churn head, exported by churnscope',
    metadata: {
      'churnscope.encoder': 'use-lite',
      'churnscope.embedding_dim': String(arch.outputDim),
      ...opts.metadata,
    },
  });
}
