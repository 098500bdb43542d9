// Symmetric per-output-channel int8 weights: one scale per column of a [K, N] MatMul weight, zero point 0, 7-bit range.

/**
 * Weights use ±63, not ±127 ("reduce range"). ORT's u8×s8 kernels on AVX2 CPUs without VNNI multiply with
 * vpmaddubsw, which adds pairs of u8·s8 products in int16 and saturates: 2·255·127 overflows, 2·255·63 = 32,130 does
 * not. Full-range weights measured max |Δp| 0.12 against fp32 on an AVX2 machine (0.02 on AVX-512 VNNI); 7-bit
 * weights give the same file the same results on both, for half a bit of weight precision.
 */
export const WEIGHT_LEVELS = 63;

export interface Int8Columns {
  /** Row-major [K, N], each value in [-WEIGHT_LEVELS, WEIGHT_LEVELS]. */
  data: Int8Array;
  /** [N]: column n's float value is data[k, n] * scales[n]. */
  scales: Float32Array;
}

/**
 * A symmetric range keeps the zero point at 0, which the int8 kernels need for s8 weights. A column of zeros gets
 * scale 1 so no division by zero reaches the kernel.
 */
export function quantizeColumns(weight: Float32Array, rows: number, cols: number, gain = 1): Int8Columns {
  const scales = new Float32Array(cols);
  for (let k = 0; k < rows; k++) {
    const row = k * cols;
    for (let n = 0; n < cols; n++) scales[n] = Math.max(scales[n], Math.abs(weight[row + n] * gain));
  }
  for (let n = 0; n < cols; n++) scales[n] = scales[n] > 0 ? scales[n] / WEIGHT_LEVELS : 1;
  const data = new Int8Array(rows * cols);
  for (let k = 0; k < rows; k++) {
    const row = k * cols;
    for (let n = 0; n < cols; n++) {
      const q = Math.round((weight[row + n] * gain) / scales[n]);
      data[row + n] = Math.max(-WEIGHT_LEVELS, Math.min(WEIGHT_LEVELS, q));
    }
  }
  return { data, scales };
}

/** [N, K] → [K, N]: a Gemm with transB=1 stores its weight transposed; MatMulInteger wants it [K, N]. */
export function transpose(weight: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = weight[r * cols + c];
  return out;
}
