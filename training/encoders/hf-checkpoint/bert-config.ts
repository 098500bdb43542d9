// Reads a Hugging Face config.json (model_type bert or distilbert) into the architecture fields the BERT port needs, refusing what it cannot run.
import { ModelLoadError } from '../../../src/errors';
import { BERT_ACTIVATIONS, type BertActivation, type BertArchitecture } from '../../../onnx/params/bert-params';

export type HfBertConfig = Omit<BertArchitecture, 'clsId' | 'sepId' | 'pooling'>;

export const SUPPORTED_MODEL_TYPES = ['bert', 'distilbert'] as const;

/** BERT's default when config.json does not say; DistilBERT hard-codes the same value. */
const DEFAULT_EPS = 1e-12;

export function parseBertConfig(raw: unknown, file: string): HfBertConfig {
  const fail = (message: string, field?: string): never => {
    throw new ModelLoadError(`${file}: ${message}`, { file, field });
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('is not a JSON object');
  const c = raw as Record<string, unknown>;
  const type = c.model_type;
  if (!SUPPORTED_MODEL_TYPES.includes(type as (typeof SUPPORTED_MODEL_TYPES)[number])) {
    const archs = Array.isArray(c.architectures) ? ` (architectures: ${c.architectures.join(', ')})` : '';
    fail(
      `model_type ${JSON.stringify(type)}${archs} is not supported; supported: ${SUPPORTED_MODEL_TYPES.join(', ')} (BERT, DistilBERT, MiniLM, bge and gte checkpoints use these)`,
      'model_type',
    );
  }
  const int = (key: string, fallback?: number): number => {
    const v = c[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
      return fail(`${key} must be a positive integer, got ${JSON.stringify(v)}`, key);
    return v;
  };
  const activation = (key: string): BertActivation => {
    const v = c[key] ?? 'gelu';
    if (!BERT_ACTIVATIONS.includes(v as BertActivation)) {
      return fail(
        `${key} ${JSON.stringify(v)} is not supported; supported: ${BERT_ACTIVATIONS.join(', ')} ("gelu" is the exact erf form)`,
        key,
      );
    }
    return v as BertActivation;
  };
  if (type === 'distilbert') {
    if (c.sinusoidal_pos_embds === true)
      fail('sinusoidal_pos_embds is true; only learned position embeddings are supported', 'sinusoidal_pos_embds');
    return {
      modelType: 'distilbert',
      vocabSize: int('vocab_size'),
      hiddenSize: int('dim'),
      numLayers: int('n_layers'),
      numHeads: int('n_heads'),
      intermediateSize: int('hidden_dim'),
      maxPositions: int('max_position_embeddings'),
      typeVocabSize: 0,
      layerNormEps: DEFAULT_EPS,
      activation: activation('activation'),
    };
  }
  const positions = c.position_embedding_type ?? 'absolute';
  if (positions !== 'absolute')
    fail(
      `position_embedding_type ${JSON.stringify(positions)} is not supported; only "absolute"`,
      'position_embedding_type',
    );
  const eps = c.layer_norm_eps ?? DEFAULT_EPS;
  if (typeof eps !== 'number' || !(eps > 0))
    fail(`layer_norm_eps must be a positive number, got ${JSON.stringify(eps)}`, 'layer_norm_eps');
  return {
    modelType: 'bert',
    vocabSize: int('vocab_size'),
    hiddenSize: int('hidden_size'),
    numLayers: int('num_hidden_layers'),
    numHeads: int('num_attention_heads'),
    intermediateSize: int('intermediate_size'),
    maxPositions: int('max_position_embeddings'),
    typeVocabSize: int('type_vocab_size', 2),
    layerNormEps: eps as number,
    activation: activation('hidden_act'),
  };
}

/** The inverse, for writing test checkpoints and the bundle's config.json in the Hugging Face spelling. */
export function toHfBertConfig(a: HfBertConfig): Record<string, unknown> {
  if (a.modelType === 'distilbert') {
    return {
      model_type: 'distilbert',
      architectures: ['DistilBertModel'],
      vocab_size: a.vocabSize,
      dim: a.hiddenSize,
      n_layers: a.numLayers,
      n_heads: a.numHeads,
      hidden_dim: a.intermediateSize,
      max_position_embeddings: a.maxPositions,
      activation: a.activation,
      sinusoidal_pos_embds: false,
      pad_token_id: 0,
    };
  }
  return {
    model_type: 'bert',
    architectures: ['BertModel'],
    vocab_size: a.vocabSize,
    hidden_size: a.hiddenSize,
    num_hidden_layers: a.numLayers,
    num_attention_heads: a.numHeads,
    intermediate_size: a.intermediateSize,
    max_position_embeddings: a.maxPositions,
    type_vocab_size: a.typeVocabSize,
    layer_norm_eps: a.layerNormEps,
    hidden_act: a.activation,
    position_embedding_type: 'absolute',
    pad_token_id: 0,
  };
}
