// Splits a token sequence into overlapping windows so long texts (chats, long reviews) are scored whole, not truncated.

export interface WindowOptions {
  /** Tokens per window. */
  size: number;
  /** Tokens shared by consecutive windows. */
  overlap: number;
  /** Windows kept at most; the tail beyond them is dropped and reported as truncated. */
  maxWindows: number;
}

export interface Windowed {
  windows: Int32Array[];
  /** True when tokens were left out because of maxWindows. */
  truncated: boolean;
}

export function splitWindows(ids: Int32Array, opts: WindowOptions): Windowed {
  const { size, overlap, maxWindows } = opts;
  if (overlap >= size) throw new RangeError(`window overlap ${overlap} must be smaller than size ${size}`);
  if (ids.length <= size) return { windows: [ids], truncated: false };
  const stride = size - overlap;
  const windows: Int32Array[] = [];
  for (let start = 0; windows.length < maxWindows; start += stride) {
    const end = Math.min(start + size, ids.length);
    windows.push(ids.subarray(start, end));
    if (end === ids.length) return { windows, truncated: false };
  }
  return { windows, truncated: true };
}

export interface WindowScores {
  max: number;
  mean: number;
}

export function aggregateWindowScores(probabilities: ArrayLike<number>): WindowScores {
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    max = Math.max(max, probabilities[i]);
    sum += probabilities[i];
  }
  return { max, mean: sum / probabilities.length };
}

/** Mean of window embeddings, re-normalised to unit length like a single window's embedding. */
export function meanEmbedding(embeddings: Float32Array[]): Float32Array {
  if (embeddings.length === 1) return embeddings[0];
  const out = new Float32Array(embeddings[0].length);
  for (const e of embeddings) for (let i = 0; i < out.length; i++) out[i] += e[i];
  let norm = 0;
  for (let i = 0; i < out.length; i++) norm += out[i] * out[i];
  const inv = 1 / Math.sqrt(Math.max(norm, 1e-12));
  for (let i = 0; i < out.length; i++) out[i] *= inv;
  return out;
}
