// The frozen lower part of an encoder run once per text: its hidden states kept (valid positions only) for every epoch.
import * as tf from '@tensorflow/tfjs';
import type { FrozenSplit } from '../encoders/trainable-encoder';
import { padIds } from './head-mode';

/** Texts per forward pass while filling the cache (length-sorted, so padding stays small). */
const FILL_CHUNK = 32;

export class StateCache {
  private constructor(
    private readonly rows: Map<number, Float32Array>,
    private readonly ids: readonly Int32Array[],
    readonly width: number,
    /** Seconds the fill took: the price of the cache, paid once per run instead of every step. */
    readonly fillSeconds: number,
  ) {}

  /** Runs split.lower on the given rows (each once) and keeps each row's states for its real tokens. */
  static async fill(split: FrozenSplit, ids: readonly Int32Array[], rows: readonly number[]): Promise<StateCache> {
    const started = performance.now();
    const unique = [...new Set(rows)].sort((a, b) => ids[a].length - ids[b].length);
    const cache = new Map<number, Float32Array>();
    for (let s = 0; s < unique.length; s += FILL_CHUNK) {
      const chunk = unique.slice(s, s + FILL_CHUNK);
      const x = padIds(chunk.map((i) => ids[i]));
      const states = split.lower(x.ids, x.mask);
      const T = states.shape[1];
      const values = (await states.data()) as Float32Array;
      chunk.forEach((row, b) => {
        const start = b * T * split.width;
        cache.set(row, values.slice(start, start + Math.max(1, ids[row].length) * split.width));
      });
      tf.dispose([states, x.ids, x.mask]);
    }
    return new StateCache(cache, ids, split.width, (performance.now() - started) / 1000);
  }

  /** Rows held. */
  get size(): number {
    return this.rows.size;
  }

  /** Bytes held by the cached states. */
  get bytes(): number {
    let n = 0;
    for (const v of this.rows.values()) n += v.byteLength;
    return n;
  }

  /** The rows' states zero-padded to the longest, with their ids and mask: [B, T, width], [B, T], [B, T]. */
  batch(indices: readonly number[]): { states: tf.Tensor3D; ids: tf.Tensor2D; mask: tf.Tensor2D } {
    const x = padIds(indices.map((i) => this.ids[i]));
    const T = x.ids.shape[1];
    const flat = new Float32Array(indices.length * T * this.width);
    indices.forEach((row, b) => {
      const cached = this.rows.get(row);
      if (!cached) throw new RangeError(`row ${row} was not in the state cache`);
      flat.set(cached, b * T * this.width);
    });
    return { states: tf.tensor3d(flat, [indices.length, T, this.width]), ...x };
  }
}
