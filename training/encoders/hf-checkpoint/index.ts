// Public surface of the Hugging Face checkpoint reader: folder → BertParams, plus the safetensors codec and name mapping it uses.
export { readHfCheckpoint, HF_FILES, type HfCheckpoint, type ReadHfCheckpointOptions } from './read-hf-checkpoint';
export { writeHfCheckpoint, type WriteHfCheckpointOptions } from './write-hf-checkpoint';
export { parseBertConfig, toHfBertConfig, SUPPORTED_MODEL_TYPES, type HfBertConfig } from './bert-config';
export { inspectHfTokenizer, type HfTokenizerInfo } from './hf-tokenizer';
export {
  readSafetensors,
  parseSafetensors,
  encodeSafetensors,
  type SafetensorsDtype,
  type TensorMap,
} from './safetensors';
export { bertParamsFromTensors, bertParamsToTensors, hfWeightNames, findPrefix } from './weight-names';
export { halfToFloat, bfloat16ToFloat, floatToHalf, floatToBfloat16 } from '../../../onnx/params/half-float';
