// Initializer tensors as raw little-endian bytes: raw_data is the compact form every ONNX reader accepts, and the spec fixes it to little-endian.
import { endianness } from 'node:os';
import { ValidationError } from '../../src/errors';
import { DataType, type DataTypeCode, type OnnxTypes } from './onnx-namespace';

const HOST_IS_LE = endianness() === 'LE';

function dimsOf(dims: readonly number[], length: number, name: string): number[] {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== length) {
    throw new ValidationError(`tensor ${name}: dims [${dims.join(', ')}] hold ${count} values, data has ${length}`, {
      field: name,
    });
  }
  return [...dims];
}

/** Copies so that the proto never aliases (and later re-reads) the caller's buffer. */
function copyBytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

export function floatTensor(name: string, data: Float32Array, dims: readonly number[]): OnnxTypes.ITensorProto {
  let raw: Uint8Array;
  if (HOST_IS_LE) raw = copyBytes(data);
  else {
    raw = new Uint8Array(data.length * 4);
    const dv = new DataView(raw.buffer);
    data.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  }
  return { name, dataType: DataType.FLOAT, dims: dimsOf(dims, data.length, name), rawData: raw };
}

export function int64Tensor(
  name: string,
  data: readonly (number | bigint)[],
  dims: readonly number[],
): OnnxTypes.ITensorProto {
  const raw = new Uint8Array(data.length * 8);
  const dv = new DataView(raw.buffer);
  data.forEach((v, i) => dv.setBigInt64(i * 8, BigInt(v), true));
  return { name, dataType: DataType.INT64, dims: dimsOf(dims, data.length, name), rawData: raw };
}

export function int32Tensor(name: string, data: readonly number[], dims: readonly number[]): OnnxTypes.ITensorProto {
  const raw = new Uint8Array(data.length * 4);
  const dv = new DataView(raw.buffer);
  data.forEach((v, i) => dv.setInt32(i * 4, v, true));
  return { name, dataType: DataType.INT32, dims: dimsOf(dims, data.length, name), rawData: raw };
}

/** 8-bit tensors (quantized weights, zero points): one byte per value, so raw_data needs no byte order. */
export function byteTensor(
  name: string,
  elemType: typeof DataType.INT8 | typeof DataType.UINT8,
  data: Int8Array | Uint8Array,
  dims: readonly number[],
): OnnxTypes.ITensorProto {
  return { name, dataType: elemType, dims: dimsOf(dims, data.length, name), rawData: copyBytes(data) };
}

/** A symbolic ("batch") or fixed dimension; value infos carry these so runtimes know which axes are dynamic. */
export type Dim = number | string;

export function valueInfo(name: string, elemType: DataTypeCode, dims: readonly Dim[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
