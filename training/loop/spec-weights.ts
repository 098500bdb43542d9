// A spec's weights as plain arrays: snapshots for checkpoint averaging, and setting them so every thread follows.
import * as tf from '@tensorflow/tfjs';
import type { TrainSpec } from './train-loop';

/** Copies of the spec's variables, in its order. */
export function snapshotWeights<In>(spec: TrainSpec<In>): Float32Array[] {
  return spec.variables.map((v) => (v.dataSync() as Float32Array).slice());
}

/** Sets the spec's variables (its order) and tells the spec, so data-parallel workers predict with them too. */
export async function setWeights<In>(spec: TrainSpec<In>, weights: readonly Float32Array[]): Promise<void> {
  if (weights.length !== spec.variables.length || weights.some((w, i) => w.length !== spec.variables[i].size))
    throw new RangeError('weights do not match the spec’s variables');
  tf.tidy(() => spec.variables.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape))));
  await spec.weightsChanged?.();
}

/** The element-wise mean of several snapshots of the same variables (checkpoint averaging). */
export function meanWeights(snapshots: readonly Float32Array[][]): Float32Array[] {
  return snapshots[0].map((first, i) => {
    const out = new Float32Array(first.length);
    for (const s of snapshots) for (let j = 0; j < out.length; j++) out[j] += s[i][j];
    for (let j = 0; j < out.length; j++) out[j] /= snapshots.length;
    return out;
  });
}
