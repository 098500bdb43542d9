// Plain-array parameter contracts shared by training (which fills them) and the exporters (which read them); no TF.js, no protobuf.
export { USE_LITE_ARCHITECTURE } from './use-lite-params';
export type {
  NamedArray,
  UseLiteArchitecture,
  UseLiteLayerParams,
  UseLiteParams,
  LinearHeadParams,
} from './use-lite-params';
export {
  BERT_ACTIVATIONS,
  BERT_LAYER_KEYS,
  BERT_POOLINGS,
  bertParamAt,
  bertParamShapes,
  bertTokenLimit,
} from './bert-params';
export type { BertActivation, BertArchitecture, BertLayerParams, BertParams, BertPooling } from './bert-params';
export { validateBertParams } from './validate-bert-params';
export type { HybridHeadConfig, HybridHeadParams } from './hybrid-head-params';
export { halfToFloat, bfloat16ToFloat, widen16, floatToHalf, floatToBfloat16 } from './half-float';
