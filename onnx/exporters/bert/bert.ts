// Exports a BERT-family encoder plus the hybrid churn head as ONE ONNX graph with the same I/O as every churnscope model.
import type { BertParams } from '../../params/bert-params';
import { validateBertParams } from '../../params/validate-bert-params';
import type { HybridHeadParams } from '../../params/hybrid-head-params';
import { ValidationError } from '../../../src/errors';
import { addHybridHead } from '../../heads/hybrid-head';
import { DataType, GraphBuilder } from '../../proto';
import { addBertEncoder } from './bert-encoder';

export interface BuildBertOptions {
  params: BertParams;
  head: HybridHeadParams;
  /** Extra provenance stored in the model's metadata_props. */
  metadata?: Record<string, string>;
}

/**
 * Inputs int64 input_ids / attention_mask [batch, sequence], right-padded, no special tokens (the graph adds [CLS] and
 * [SEP] per row, so sequence ≤ max_position_embeddings − 2); outputs embedding [batch, hidden], logits and probability
 * [batch]. The serving engine therefore runs it exactly like the USE-lite export.
 */
export function buildBertModel(opts: BuildBertOptions): Uint8Array {
  const { params, head } = opts;
  validateBertParams(params);
  const { arch } = params;
  if (head.config.embeddingDim !== arch.hiddenSize || head.config.vocabSize !== arch.vocabSize) {
    throw new ValidationError(
      `hybrid head is for embeddingDim ${head.config.embeddingDim} / vocabSize ${head.config.vocabSize}, the encoder has ${arch.hiddenSize} / ${arch.vocabSize}`,
      { field: 'head.config' },
    );
  }
  const g = new GraphBuilder('bert_churn');
  const inputIds = g.input('input_ids', DataType.INT64, ['batch', 'sequence']);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch', 'sequence']);
  const { embedding, maskFloat } = addBertEncoder(g, { inputIds, attentionMask, embeddingName: 'embedding' }, params);
  const [logits] = g.node('Identity', [addHybridHead(g, { embedding, inputIds, maskFloat }, head)], {
    outputs: ['logits'],
  });
  const [probability] = g.node('Sigmoid', [logits], { outputs: ['probability'] });
  g.output(embedding, DataType.FLOAT, ['batch', arch.hiddenSize]);
  g.output(logits, DataType.FLOAT, ['batch']);
  g.output(probability, DataType.FLOAT, ['batch']);
  return g.encode({
    docString: `${arch.modelType} encoder (${arch.numLayers} layers, hidden ${arch.hiddenSize}, ${arch.pooling} pooling) + churn head, exported by churnscope`,
    metadata: {
      'churnscope.encoder': 'bert',
      'churnscope.model_type': arch.modelType,
      'churnscope.embedding_dim': String(arch.hiddenSize),
      ...opts.metadata,
    },
  });
}
