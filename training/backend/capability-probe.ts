// A tiny transformer forward+backward that tells whether a backend has every kernel training needs, and gets them right.
import * as tf from '@tensorflow/tfjs';
import { gatherRows } from './gather-rows';
import { plainMatMul, swapLastAxes } from './plain-mat-mul';

/** Runs a small training step on the current backend; returns loss and gradients, flattened. */
export type BackendProbe = () => Promise<Float32Array>;

// Deterministic, irregular values: no RNG so that two backends see the same inputs.
const fill = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 0.5);

/**
 * Exercises the ops of a pre-LayerNorm transformer encoder with masked mean pooling (the kernels the
 * USE-lite and similar encoders use), with gradients to embeddings, kernels and biases.
 */
export const transformerProbe: BackendProbe = async () => {
  const [vocab, d, heads, t] = [7, 8, 2, 5];
  const out = tf.tidy(() => {
    const ids = tf.tensor2d(
      [
        [1, 2, 2, 3, 0],
        [4, 5, 0, 0, 0],
      ],
      [2, t],
      'int32',
    );
    const mask = tf.cast(
      tf.greater(
        tf.tensor2d(
          [
            [1, 1, 1, 1, 0],
            [1, 1, 0, 0, 0],
          ],
          [2, t],
          'int32',
        ),
        0,
      ),
      'float32',
    );
    const params = [
      tf.tensor2d(fill(vocab * d, 1), [vocab, d]),
      tf.tensor2d(fill(d * 3 * d, 2), [d, 3 * d]),
      tf.tensor1d(fill(3 * d, 3)),
      tf.tensor2d(fill(d * d, 4), [d, d]),
      tf.tensor1d(fill(d, 5)),
    ];
    // The inner tidy mirrors the encoders: tensors a gradient needs must outlive the forward's scope.
    const loss = (emb: tf.Tensor, qkvW: tf.Tensor, qkvB: tf.Tensor, w: tf.Tensor, g: tf.Tensor): tf.Scalar =>
      tf.tidy(() => {
        const pos = tf.mul(tf.reshape(tf.range(0, t, 1, 'float32'), [t, 1]), tf.tensor2d([[1, 0.1, 0.01, 0.001]]));
        const signal = tf.concat([tf.sin(pos), tf.cos(pos)], 1);
        let x = tf.mul(tf.add(tf.mul(gatherRows(emb as tf.Tensor2D, ids), 2), signal), tf.expandDims(mask, 2));
        const c = tf.sub(x, tf.mean(x, -1, true));
        const h = tf.add(tf.mul(tf.mul(g, tf.rsqrt(tf.add(tf.mean(tf.square(c), -1, true), 1e-6))), c), 0.1);
        const qkv = tf.reshape(plainMatMul(tf.reshape(h, [-1, d]), qkvW, qkvB), [2, t, 3 * d]);
        const [q, k, v] = tf
          .split(qkv, 3, 2)
          .map((z) => tf.transpose(tf.reshape(z, [2, t, heads, d / heads]), [0, 2, 1, 3]));
        const bias = tf.reshape(tf.mul(tf.sub(1, mask), -1e9), [2, 1, 1, t]);
        const att = tf.softmax(tf.add(plainMatMul(tf.mul(q, 0.5), swapLastAxes(k)), bias));
        const ctx = tf.reshape(tf.transpose(plainMatMul(att, v), [0, 2, 1, 3]), [-1, d]);
        x = tf.add(tf.reshape(tf.relu(plainMatMul(ctx, w)), [2, t, d]), x);
        const len = tf.maximum(tf.sum(mask, 1, true), 1);
        const pooled = tf.tanh(tf.div(tf.sum(tf.mul(x, tf.expandDims(mask, 2)), 1), len));
        const unit = tf.mul(pooled, tf.rsqrt(tf.maximum(tf.sum(tf.square(pooled), 1, true), 1e-12)));
        return tf.sum(tf.mul(unit, tf.tensor1d(fill(d, 6))));
      });
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => loss(xs[0], xs[1], xs[2], xs[3], xs[4]))(params);
    return tf.concat([tf.reshape(value, [1]), ...grads.map((gr) => tf.reshape(gr, [-1]))]);
  });
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
};

/** Why `got` (a candidate backend's probe result) is not acceptable against the cpu reference; null when fine. */
export function probeMismatch(got: Float32Array, reference: Float32Array, tolerance = 1e-4): string | null {
  if (got.length !== reference.length) return `probe returned ${got.length} values, reference ${reference.length}`;
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    if (!Number.isFinite(got[i])) return `probe value ${i} is ${got[i]}`;
    worst = Math.max(worst, Math.abs(got[i] - reference[i]) / Math.max(1, Math.abs(reference[i])));
  }
  return worst > tolerance ? `probe differs from cpu by ${worst.toExponential(2)}` : null;
}
