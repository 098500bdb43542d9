// Public surface of the BERT family: the plain-array contract, the TF.js encoder and a seeded random initialiser.
export { BERT_ACTIVATIONS, BERT_POOLINGS, bertTokenLimit, bertParamShapes } from '../../../onnx/params/bert-params';
export type {
  BertActivation,
  BertArchitecture,
  BertLayerParams,
  BertParams,
  BertPooling,
} from '../../../onnx/params/bert-params';
export { validateBertParams } from '../../../onnx/params/validate-bert-params';
export { BertEncoder, type BertEncoderOptions } from './bert-encoder';
export { bertForward, withSpecialTokens, type BertTensors } from './bert-forward';
export { randomBertParams, type RandomBertOptions } from './random-bert';
