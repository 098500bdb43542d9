// Reads the float initializers of a user's ONNX model (e.g. a Hugging Face onnx/model.onnx) by name, widened to float32.
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { ModelLoadError } from '../../src/errors';
import { widen16 } from '../params/half-float';
import type { NamedArray } from '../params/use-lite-params';
import { DataType, onnx, type OnnxTypes } from '../proto/onnx-namespace';

export type InitializerMap = Map<string, NamedArray & { dtype: string }> & { others?: Map<string, string> };

const T = onnx.TensorProto.DataType;
const HOST_IS_LE = endianness() === 'LE';
const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;

/**
 * Float initializers by name. Exporters (torch.onnx, optimum) often store a Linear layer's weight as an anonymous
 * `onnx::MatMul_N` initializer, already transposed to [in, out], and keep only its bias under the module name; such a
 * weight is also listed under the name the module would have given it (`….weight`, in nn.Linear's [out, in] layout),
 * recovered from the graph's MatMul → Add(bias) pattern.
 */
export async function readOnnxInitializers(file: string): Promise<InitializerMap> {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(await readFile(file));
  } catch (cause) {
    throw new ModelLoadError(`cannot read ONNX model ${file}: ${(cause as Error).message}`, { file, cause });
  }
  const graph = model.graph;
  if (!graph) throw new ModelLoadError(`${file} has no graph`, { file });
  const out: InitializerMap = new Map();
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    if (t.dataLocation === EXTERNAL || (t.externalData?.length ?? 0) > 0) {
      throw new ModelLoadError(
        `${file}: initializer ${name} is stored as external data (a .onnx_data file), which is not supported; use model.safetensors instead`,
        { file, field: name },
      );
    }
    const data = floatData(t);
    const shape = (t.dims ?? []).map((d) => Number(d));
    if (data) out.set(name, { shape, data, dtype: T[t.dataType ?? 0] ?? String(t.dataType) });
    else (out.others ??= new Map()).set(name, T[t.dataType ?? 0] ?? String(t.dataType));
  }
  recoverLinearWeights(graph, out);
  return out;
}

/** Float, half or double tensor data widened to float32; undefined for other element types. */
export function floatData(t: OnnxTypes.ITensorProto): Float32Array | undefined {
  const raw = t.rawData && t.rawData.byteLength > 0 ? t.rawData : undefined;
  switch (t.dataType) {
    case DataType.FLOAT:
      if (raw && HOST_IS_LE) return new Float32Array(new Uint8Array(raw).buffer); // an aligned copy; raw_data is little-endian
      if (raw) {
        const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
        return Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
      }
      return Float32Array.from(t.floatData ?? []);
    case T.FLOAT16:
    case T.BFLOAT16: {
      const kind = t.dataType === T.FLOAT16 ? 'f16' : 'bf16';
      // Without raw_data, each 16-bit pattern sits in one int32_data entry.
      const bytes = raw ?? new Uint8Array(Uint16Array.from(t.int32Data ?? []).buffer);
      return widen16(bytes, kind);
    }
    case T.DOUBLE: {
      if (raw) {
        const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
        return Float32Array.from({ length: raw.byteLength / 8 }, (_, i) => view.getFloat64(8 * i, true));
      }
      return Float32Array.from(t.doubleData ?? []);
    }
    default:
      return undefined;
  }
}

function recoverLinearWeights(graph: OnnxTypes.IGraphProto, out: InitializerMap): void {
  const producer = new Map<string, OnnxTypes.INodeProto>();
  for (const node of graph.node ?? []) for (const o of node.output ?? []) producer.set(o, node);
  for (const node of graph.node ?? []) {
    if (node.opType !== 'Add' || node.input?.length !== 2) continue;
    const biasIndex = node.input.findIndex((i) => i.endsWith('.bias') && out.has(i));
    if (biasIndex < 0) continue;
    const matmul = producer.get(node.input[1 - biasIndex]);
    const weightName = node.input[biasIndex].replace(/\.bias$/, '.weight');
    const w = matmul?.opType === 'MatMul' ? out.get(matmul.input?.[1] ?? '') : undefined;
    if (!w || w.shape.length !== 2 || out.has(weightName)) continue;
    const [rows, cols] = w.shape;
    const data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[c * rows + r] = w.data[r * cols + c];
    out.set(weightName, { shape: [cols, rows], data, dtype: w.dtype });
  }
}
