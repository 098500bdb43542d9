// Head mode: the encoder is frozen, its embeddings come precomputed (ONNX Runtime, cached), only the head trains in TF.js.
import * as tf from '@tensorflow/tfjs';
import type { HybridHead } from '../heads/hybrid-head';
import type { TrainBatch, TrainSpec } from '../loop/train-loop';

export interface HeadModeData {
  /** Row-major [N, D] unit-length embeddings. */
  embeddings: Float32Array;
  embeddingDim: number;
  /** Token ids per row (first window), used by the head's bag terms. */
  ids: Int32Array[];
  labels: readonly number[];
}

export interface HeadInputs {
  embedding: tf.Tensor2D;
  ids: tf.Tensor2D;
  mask: tf.Tensor2D;
}

/** Pads id sequences into [B, T] ids and mask tensors (T ≥ 1 so empty rows stay valid shapes). */
export function padIds(rows: readonly Int32Array[]): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
  const T = Math.max(1, ...rows.map((r) => r.length));
  const ids = new Int32Array(rows.length * T);
  const mask = new Int32Array(rows.length * T);
  rows.forEach((r, b) => {
    ids.set(r, b * T);
    mask.fill(1, b * T, b * T + r.length);
  });
  return { ids: tf.tensor2d(ids, [rows.length, T], 'int32'), mask: tf.tensor2d(mask, [rows.length, T], 'int32') };
}

export function headModeSpec(head: HybridHead, data: HeadModeData): TrainSpec<HeadInputs> {
  const D = data.embeddingDim;
  const inputs = (indices: number[]): HeadInputs => {
    const emb = new Float32Array(indices.length * D);
    indices.forEach((row, b) => emb.set(data.embeddings.subarray(row * D, (row + 1) * D), b * D));
    return { embedding: tf.tensor2d(emb, [indices.length, D]), ...padIds(indices.map((i) => data.ids[i])) };
  };
  return {
    variables: head.variables,
    decayed: head.penalised,
    forward: (x) => head.apply(x.embedding, x.ids, x.mask),
    makeBatch(indices): TrainBatch<HeadInputs> {
      const x = inputs(indices);
      const labels = tf.tensor1d(indices.map((i) => data.labels[i]));
      return { inputs: x, labels, dispose: () => tf.dispose([x.embedding, x.ids, x.mask, labels]) };
    },
    async predict(indices) {
      const out = new Float32Array(indices.length);
      for (let s = 0; s < indices.length; s += 512) {
        const x = inputs(indices.slice(s, s + 512));
        const p = tf.tidy(() => tf.sigmoid(head.apply(x.embedding, x.ids, x.mask)));
        out.set(await p.data(), s);
        tf.dispose([p, x.embedding, x.ids, x.mask]);
      }
      return out;
    },
  };
}
