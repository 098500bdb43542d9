// One part of a batch's loss and gradients: the same code on the training thread and in data-parallel workers.
import * as tf from '@tensorflow/tfjs';
import type { TrainSpec } from './train-loop';

/** A row's weight in the loss: positives weigh posWeight (imbalance 'weight'), negatives 1. */
export function exampleWeight(label: number, posWeight: number): number {
  return label === 1 ? posWeight : 1;
}

/** Sum of the rows' loss weights: the denominator every part of a batch divides by, so parts add up to the batch. */
export function batchWeight(indices: readonly number[], labels: readonly number[], posWeight: number): number {
  return indices.reduce((w, i) => w + exampleWeight(labels[i], posWeight), 0);
}

export interface PartGradients {
  /** This part's share of the batch loss: Σ w·bce over its rows / the whole batch's weight. */
  loss: number;
  /** d loss / d variable, in the spec's variable order. */
  grads: tf.Tensor[];
}

/**
 * Weighted BCE on logits over `indices`, divided by `totalWeight` (the whole batch's, from batchWeight): the parts
 * of a batch computed anywhere sum to exactly the batch's mean loss and gradients.
 */
export async function partGradients<In>(
  spec: TrainSpec<In>,
  indices: number[],
  posWeight: number,
  totalWeight: number,
): Promise<PartGradients> {
  const batch = spec.makeBatch(indices);
  try {
    const { value, grads } = tf.variableGrads(
      () =>
        tf.tidy(() => {
          const logits = spec.forward(batch.inputs);
          // softplus(z) − y·z is BCE on logits without overflow.
          const perExample = tf.sub(tf.softplus(logits), tf.mul(batch.labels, logits));
          const weights = tf.add(1, tf.mul(batch.labels, posWeight - 1));
          return tf.div<tf.Scalar>(tf.sum(tf.mul(perExample, weights)), totalWeight);
        }),
      spec.variables,
    );
    const loss = (await value.data())[0];
    value.dispose();
    return { loss, grads: spec.variables.map((v) => grads[v.name]) };
  } finally {
    batch.dispose();
  }
}
