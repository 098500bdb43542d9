// Public surface of the ONNX proto builder.
export { GraphBuilder, DataType, type ModelMeta, type NodeOptions } from './graph-builder';
export { attr, type AttrValue, type Attrs } from './attributes';
export { floatTensor, int64Tensor, int32Tensor, byteTensor, valueInfo, type Dim } from './tensors';
export type { DataTypeCode, OnnxTypes } from './onnx-namespace';
