// Probabilities of token windows from one ONNX file, outside the engine's batching: to compare two precisions of a bundle.
import type { Logger } from '../logging';
import { OnnxSession } from './onnx-session';

export interface ModelFileRunOptions {
  modelPath: string;
  /** ORT intra-op threads; 0 = all cores. */
  threads: number;
  logger: Logger;
  /** Windows per run; sorted by length first so padding stays small. */
  batchSize?: number;
}

/** One probability per window, in input order; the CPU provider only, since the comparison is of CPU kernels. */
export async function modelFileProbabilities(
  windows: readonly Int32Array[],
  opts: ModelFileRunOptions,
): Promise<Float32Array> {
  const session = await OnnxSession.create({ ...opts, providers: ['cpu'] });
  const batch = opts.batchSize ?? 32;
  const order = windows.map((_, i) => i).sort((a, b) => windows[a].length - windows[b].length);
  const out = new Float32Array(windows.length);
  try {
    for (let s = 0; s < order.length; s += batch) {
      const idx = order.slice(s, s + batch);
      // An empty window (an empty text) still needs one column; the engine pads it the same way.
      const { probability } = await session.run(
        idx.map((i) => (windows[i].length > 0 ? windows[i] : Int32Array.of(0))),
      );
      idx.forEach((i, k) => (out[i] = probability[k]));
    }
  } finally {
    await session.dispose();
  }
  return out;
}
