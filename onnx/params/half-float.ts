// fp16 and bf16 → float32 widening (exact: every half value is a float32), and float32 → fp16/bf16 for writing test checkpoints.

const scratch = new DataView(new ArrayBuffer(4));

/** IEEE 754 binary16 bits → number: subnormals, infinities and NaN included. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 is the top half of a float32. */
export function bfloat16ToFloat(b: number): number {
  scratch.setUint32(0, (b & 0xffff) << 16);
  return scratch.getFloat32(0);
}

/** Little-endian 16-bit words → float32 values. */
export function widen16(bytes: Uint8Array, kind: 'f16' | 'bf16'): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 2);
  const convert = kind === 'f16' ? halfToFloat : bfloat16ToFloat;
  for (let i = 0; i < out.length; i++) out[i] = convert(view.getUint16(2 * i, true));
  return out;
}

/** float32 → binary16 bits, rounding to nearest even (values beyond the range become ±Infinity). */
export function floatToHalf(f: number): number {
  scratch.setFloat32(0, f);
  const x = scratch.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  let mantissa = x & 0x7fffff;
  if (((x >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  if (exponent >= 0x1f) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - exponent;
    const half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
  }
  const half = (exponent << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** float32 → bfloat16 bits, rounding to nearest even. */
export function floatToBfloat16(f: number): number {
  scratch.setFloat32(0, f);
  const x = scratch.getUint32(0);
  if (Number.isNaN(f)) return 0x7fc0;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}
