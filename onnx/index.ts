// The onnx/ contract: the only place that builds ONNX graphs (exporters) and writes/loads Hugging-Face-layout bundles.
export {
  buildUseLiteModel,
  USE_LITE_ONNX_IO,
  TOKEN_STATES_OUTPUT,
  LINEAR_HEAD_INITIALIZERS,
  type BuildUseLiteOptions,
} from './exporters/use-lite';
export { HYBRID_HEAD_INITIALIZERS } from './heads/hybrid-head';
export { addUseLiteEncoder, USE_LITE_TAIL_INITIALIZERS, type UseLiteEncoderValues } from './exporters/use-lite-encoder';
export { BUNDLE_FILES } from '../src/bundle/bundle-layout';
export { writeHfBundle, type WriteHfBundleOptions } from './bundle/write-hf-bundle';
export { HF_CONFIG_DEFAULTS, defaultTokenizerConfig } from './bundle/hf-config';
// loadBundleWithTransformers (the benchmark peer) is imported by path, so training never loads transformers.js.
export { buildBagOfEmbeddingsModel, type BagOfEmbeddingsOptions } from './exporters/bag-of-embeddings';
export { buildBertModel, addBertEncoder, type BuildBertOptions, type BertEncoderValues } from './exporters/bert/index';
export { readOnnxInitializers, type InitializerMap } from './initializers/read-initializers';
export { GraphBuilder, DataType, attr, type ModelMeta } from './proto';
export {
  quantizeModel,
  QUANTIZATION_METADATA_KEY,
  QUANTIZATION_METHOD,
  type QuantizeModelResult,
} from './quantize/index';
