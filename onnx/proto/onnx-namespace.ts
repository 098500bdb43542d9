// The onnx-proto message classes, unwrapped once: the package is CommonJS (module.exports = $root), so Node ESM only offers a default export.
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
// Re-exported under one name so that the rest of onnx/ never touches the interop shape of the package.
export type { onnx as OnnxTypes } from 'onnx-proto';

/** Element types we emit (TensorProto.DataType numbers). */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];
