// Embedding-table row lookup that every backend can differentiate.
import * as tf from '@tensorflow/tfjs';

/**
 * `tf.gather(table, ids)` whose gradient is a ScatterNd (duplicates summed) instead of TF.js's default
 * UnsortedSegmentSum, a kernel the wasm backend does not have; this keeps embeddings trainable on wasm.
 * `ids` is int32 of any shape; the result has shape [...ids.shape, table.shape[1]].
 */
export function gatherRows(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [rows, dim] = table.shape;
  const lookup = tf.customGrad((t, i, save) => {
    const idsT = i as tf.Tensor;
    // Saved, not closed over: callers may tidy ids away before the backward pass runs.
    (save as tf.GradSaveFunc)([idsT]);
    return {
      value: tf.gather(t as tf.Tensor2D, idsT),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.scatterND(tf.reshape(saved[0], [-1, 1]), tf.reshape(dy, [-1, dim]), [rows, dim]),
        tf.zerosLike(saved[0]),
      ],
    };
  });
  return lookup(table, ids);
}
