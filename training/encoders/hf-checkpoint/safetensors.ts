// The safetensors format read and written directly: u64 little-endian header length, a JSON header, then raw little-endian tensors.
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { ModelLoadError } from '../../../src/errors';
import type { NamedArray } from '../../../onnx/params/use-lite-params';
import { floatToBfloat16, floatToHalf, widen16 } from '../../../onnx/params/half-float';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';
const HOST_IS_LE = endianness() === 'LE';
const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/**
 * Float tensors by name, widened to float32, with the dtype each had on disk. Tensors of other dtypes (e.g. the
 * int64 `position_ids` buffer older BERT checkpoints carry) are listed in `others` by dtype, not decoded.
 */
export type TensorMap = Map<string, NamedArray & { dtype: string }> & { others?: Map<string, string> };

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A header larger than this is not a safetensors file (the reference implementation refuses beyond 100 MB). */
const MAX_HEADER = 100_000_000;

export async function readSafetensors(file: string): Promise<TensorMap> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new ModelLoadError(`cannot read ${file}: ${(cause as Error).message}`, { file, cause });
  }
  return parseSafetensors(bytes, file);
}

export function parseSafetensors(bytes: Uint8Array, file = 'safetensors'): TensorMap {
  const fail = (why: string, field?: string): never => {
    throw new ModelLoadError(`${file} is not a valid safetensors file: ${why}`, { file, field });
  };
  if (bytes.byteLength < 8) fail('shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.byteLength)
    fail(`header length ${headerLength} does not fit the file's ${bytes.byteLength} bytes`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    ) as Record<string, unknown>;
  } catch (e) {
    return fail(`header is not JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors: TensorMap = new Map();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const entry = raw as HeaderEntry;
    if (!entry || !Array.isArray(entry.shape) || !Array.isArray(entry.data_offsets) || entry.data_offsets.length !== 2)
      fail(`entry ${name} lacks dtype, shape or data_offsets`, name);
    if (!(entry.dtype in BYTES)) {
      (tensors.others ??= new Map()).set(name, String(entry.dtype));
      continue;
    }
    const dtype = entry.dtype as SafetensorsDtype;
    const [begin, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (!(
      Number.isSafeInteger(begin) &&
      Number.isSafeInteger(end) &&
      begin >= 0 &&
      begin <= end &&
      end <= dataLength
    )) {
      fail(`tensor ${name} has data_offsets [${begin}, ${end}] outside the ${dataLength}-byte data section`, name);
    }
    if (end - begin !== count * BYTES[dtype])
      fail(
        `tensor ${name} holds ${end - begin} bytes, its shape [${entry.shape.join()}] as ${dtype} needs ${count * BYTES[dtype]}`,
        name,
      );
    const slice = bytes.subarray(dataStart + begin, dataStart + end);
    tensors.set(name, { dtype, shape: [...entry.shape], data: toFloat32(slice, dtype) });
  }
  return tensors;
}

function toFloat32(slice: Uint8Array, dtype: SafetensorsDtype): Float32Array {
  if (dtype === 'F16') return widen16(slice, 'f16');
  if (dtype === 'BF16') return widen16(slice, 'bf16');
  // A copy is aligned and owned; on little-endian hosts its bytes already are the values.
  if (HOST_IS_LE) return new Float32Array(new Uint8Array(slice).buffer);
  const view = new DataView(slice.buffer, slice.byteOffset, slice.byteLength);
  return Float32Array.from({ length: slice.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

/** Serialises float tensors (as F32, F16 or BF16), header padded to 8 bytes as the reference writer does. */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, NamedArray>,
  dtype: SafetensorsDtype = 'F32',
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const [name, t] of tensors) {
    const size = t.data.length * BYTES[dtype];
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const t of tensors.values()) {
    for (const v of t.data) {
      if (dtype === 'F32') view.setFloat32(at, v, true);
      else view.setUint16(at, dtype === 'F16' ? floatToHalf(v) : floatToBfloat16(v), true);
      at += BYTES[dtype];
    }
  }
  return out;
}
