// Full mode: encoder and head fine-tuned end to end in TF.js, with the encoder's freeze options honoured.
import * as tf from '@tensorflow/tfjs';
import type { FreezeOptions, TrainableEncoder } from '../encoders';
import type { HybridHead } from '../heads/hybrid-head';
import type { TrainBatch, TrainSpec } from '../loop/train-loop';
import { padIds } from './head-mode';

export interface FullModeData {
  ids: Int32Array[];
  labels: readonly number[];
}

export interface TokenInputs {
  ids: tf.Tensor2D;
  mask: tf.Tensor2D;
}

export function fullModeSpec(
  encoder: TrainableEncoder,
  head: HybridHead,
  data: FullModeData,
  freeze: FreezeOptions,
): TrainSpec<TokenInputs> {
  const encoderVars = encoder.trainableVariables(freeze);
  const forward = (x: TokenInputs) => head.apply(encoder.apply(x.ids, x.mask), x.ids, x.mask);
  return {
    variables: [...encoderVars, ...head.variables],
    // Matrices decay; biases, LayerNorm scales and the head bias do not (the usual AdamW practice).
    decayed: [...encoderVars.filter((v) => v.rank >= 2), ...head.penalised],
    forward,
    lengthOf: (row) => data.ids[row].length,
    makeBatch(indices): TrainBatch<TokenInputs> {
      const x = padIds(indices.map((i) => data.ids[i]));
      const labels = tf.tensor1d(indices.map((i) => data.labels[i]));
      return { inputs: x, labels, dispose: () => tf.dispose([x.ids, x.mask, labels]) };
    },
    async predict(indices) {
      // Length-sorted chunks keep padding (and so time) low; results go back to the caller's order.
      const order = [...indices.keys()].sort((a, b) => data.ids[indices[a]].length - data.ids[indices[b]].length);
      const out = new Float32Array(indices.length);
      for (let s = 0; s < order.length; s += 64) {
        const chunk = order.slice(s, s + 64);
        const x = padIds(chunk.map((k) => data.ids[indices[k]]));
        const p = tf.tidy(() => tf.sigmoid(forward(x)));
        const values = (await p.data()) as Float32Array;
        chunk.forEach((k, j) => (out[k] = values[j]));
        tf.dispose([p, x.ids, x.mask]);
      }
      return out;
    },
  };
}
