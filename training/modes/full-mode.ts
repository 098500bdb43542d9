// Full mode: encoder and head fine-tuned end to end in TF.js, with the encoder's freeze options honoured.
import * as tf from '@tensorflow/tfjs';
import type { FreezeOptions, TrainableEncoder } from '../encoders';
import type { HybridHead } from '../heads/hybrid-head';
import type { TrainBatch, TrainSpec } from '../loop/train-loop';
import { padIds } from './head-mode';
import { StateCache } from './state-cache';

export interface FullModeData {
  ids: Int32Array[];
  labels: readonly number[];
}

export interface TokenInputs {
  ids: tf.Tensor2D;
  mask: tf.Tensor2D;
  /** Cached states of the frozen lower part, when the freeze options fix one (StateCache). */
  states?: tf.Tensor3D;
}

export interface FullModeSpec extends TrainSpec<TokenInputs> {
  /** The frozen lower part's cache, when the freeze options allowed one: its size and what it cost to fill. */
  stateCache?: { rows: number; bytes: number; fillSeconds: number };
}

export interface FullModeOptions {
  /** Rows the spec will train or predict on (default all): only these fill the state cache. */
  rows?: readonly number[];
  /** Cache the frozen lower part's states when the freeze options allow (default true; bench:train turns it off). */
  cacheFrozenStates?: boolean;
  /**
   * A cache already filled from an encoder with the same frozen weights (cross-validation folds share one); it must
   * hold every row the spec sees.
   */
  stateCache?: StateCache;
}

/**
 * With a frozen lower part (encoder.frozenSplit: for USE-lite, embeddings and lower layer frozen), its states are
 * computed once for `rows` (train and validation) and each step runs only the trainable layers on them: the frozen
 * layers' forward pass is paid once per run, not once per epoch, and no step differentiates through them.
 */
export async function fullModeSpec(
  encoder: TrainableEncoder,
  head: HybridHead,
  data: FullModeData,
  freeze: FreezeOptions,
  opts: FullModeOptions = {},
): Promise<FullModeSpec> {
  const { rows } = opts;
  const encoderVars = encoder.trainableVariables(freeze);
  const split = opts.cacheFrozenStates === false ? undefined : encoder.frozenSplit?.(freeze);
  const cache = split
    ? (opts.stateCache ?? (await StateCache.fill(split, data.ids, rows ?? data.ids.map((_, i) => i))))
    : undefined;
  const forward = (x: TokenInputs) =>
    head.apply(split && x.states ? split.upper(x.states, x.mask) : encoder.apply(x.ids, x.mask), x.ids, x.mask);
  const inputs = (indices: number[]): TokenInputs =>
    cache ? cache.batch(indices) : padIds(indices.map((i) => data.ids[i]));
  const release = (x: TokenInputs) => tf.dispose([x.ids, x.mask, ...(x.states ? [x.states] : [])]);
  return {
    ...(cache ? { stateCache: { rows: cache.size, bytes: cache.bytes, fillSeconds: cache.fillSeconds } } : {}),
    variables: [...encoderVars, ...head.variables],
    // Matrices decay; biases, LayerNorm scales and the head bias do not (the usual AdamW practice).
    decayed: [...encoderVars.filter((v) => v.rank >= 2), ...head.penalised],
    forward,
    lengthOf: (row) => data.ids[row].length,
    makeBatch(indices): TrainBatch<TokenInputs> {
      const x = inputs(indices);
      const labels = tf.tensor1d(indices.map((i) => data.labels[i]));
      return { inputs: x, labels, dispose: () => (release(x), labels.dispose()) };
    },
    async predict(indices) {
      // Length-sorted chunks keep padding (and so time) low; results go back to the caller's order.
      const order = [...indices.keys()].sort((a, b) => data.ids[indices[a]].length - data.ids[indices[b]].length);
      const out = new Float32Array(indices.length);
      for (let s = 0; s < order.length; s += 64) {
        const chunk = order.slice(s, s + 64);
        const x = inputs(chunk.map((k) => indices[k]));
        const p = tf.tidy(() => tf.sigmoid(forward(x)));
        const values = (await p.data()) as Float32Array;
        chunk.forEach((k, j) => (out[k] = values[j]));
        tf.dispose(p);
        release(x);
      }
      return out;
    },
  };
}
