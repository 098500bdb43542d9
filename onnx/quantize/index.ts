// Public surface of the int8 quantizer: ONNX bytes in, ONNX bytes with int8 weight products out.
export {
  quantizeModel,
  QUANTIZATION_METADATA_KEY,
  QUANTIZATION_METHOD,
  type QuantizeModelResult,
} from './quantize-model';
export { quantizeColumns, WEIGHT_LEVELS } from './per-column-int8';
