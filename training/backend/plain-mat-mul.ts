// Matrix product (+ bias) on the wasm backend's fast path, forward and backward.
import * as tf from '@tensorflow/tfjs';

/** Swaps the last two axes. */
export function swapLastAxes(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tf.transpose(x, perm);
}

// Rank 2 goes through _FusedMatMul so that the bias is added inside the same kernel.
function product(a: tf.Tensor, b: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  if (a.rank === 2 && b.rank === 2) return tf.fused.matMul({ a: a, b: b, bias });
  const ab = tf.matMul(a, b);
  return bias ? tf.add(ab, bias) : ab;
}

/**
 * `a · b (+ bias)` for rank 2, or equal-batch rank ≥ 3 (bias on the last axis). TF.js's own gradient
 * multiplies with transposeA/transposeB set, which wasm runs off its fast path (measured 45× slower than
 * a plain matmul for [1536,1024]ᵀ·[1536,512]); transposing explicitly and multiplying plainly is far cheaper.
 */
export function plainMatMul(a: tf.Tensor, b: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const withGrad = tf.customGrad((...args) => {
    const [x, y, z] = args.slice(0, bias ? 3 : 2) as tf.Tensor[];
    (args[args.length - 1] as tf.GradSaveFunc)([x, y]);
    return {
      value: product(x, y, z),
      gradFunc: (dy: tf.Tensor, [xs, ys]: tf.Tensor[]) => {
        const grads = [product(dy, swapLastAxes(ys)), product(swapLastAxes(xs), dy)];
        if (bias) grads.push(tf.reshape(tf.sum(tf.reshape(dy, [-1, dy.shape[dy.rank - 1]]), 0), bias.shape));
        return grads;
      },
    };
  });
  return bias ? withGrad(a, b, bias) : withGrad(a, b);
}
