// Bundle quantization contract: int8 file + quality gate + card, for `churnscope quantize` and `train`.
export { quantizeBundle, DEFAULT_MAX_ROC_AUC_LOSS, type QuantizeBundleOptions } from './quantize-bundle';
export type { PrecisionComparison } from './precision-comparison';
