// The frozen lower part of an encoder run once per text: its hidden states kept (valid positions only) for every epoch.
import * as tf from '@tensorflow/tfjs';
import type { FrozenSplit } from '../encoders/trainable-encoder';
import { padIds } from './head-mode';

/** Texts per forward pass while filling the cache (length-sorted, so padding stays small). */
const FILL_CHUNK = 32;

/**
 * Where each row's states sit in one flat float32 buffer (a SharedArrayBuffer when threads share the cache): every
 * thread computes the same layout from the ids, so each can fill its share and read all of it.
 */
export interface StateLayout {
  width: number;
  /** Float offset of each cached row. */
  offsets: Map<number, number>;
  floats: number;
}

export function stateLayout(ids: readonly Int32Array[], rows: readonly number[], width: number): StateLayout {
  const offsets = new Map<number, number>();
  let floats = 0;
  for (const row of [...new Set(rows)].sort((a, b) => a - b)) {
    offsets.set(row, floats);
    floats += Math.max(1, ids[row].length) * width;
  }
  return { width, offsets, floats };
}

export class StateCache {
  private constructor(
    private readonly rows: Map<number, Float32Array>,
    private readonly ids: readonly Int32Array[],
    readonly width: number,
    /** Seconds the fill took: the price of the cache, paid once per run instead of every step. */
    readonly fillSeconds: number,
    /** The layout and buffer the rows are views of, so worker threads can read the same memory when it is shared. */
    readonly storage: { layout: StateLayout; buffer: Float32Array },
  ) {}

  /**
   * Runs split.lower on the given rows (each once) and keeps each row's states for its real tokens; `shared` puts
   * them in a SharedArrayBuffer, so data-parallel workers can use this cache without a copy or a refill.
   */
  static async fill(
    split: FrozenSplit,
    ids: readonly Int32Array[],
    rows: readonly number[],
    opts: { shared?: boolean } = {},
  ): Promise<StateCache> {
    const started = performance.now();
    const layout = stateLayout(ids, rows, split.width);
    const buffer = opts.shared
      ? new Float32Array(new SharedArrayBuffer(layout.floats * 4))
      : new Float32Array(layout.floats);
    await StateCache.fillPart(split, ids, layout, buffer, [...layout.offsets.keys()]);
    return StateCache.over(ids, layout, buffer, (performance.now() - started) / 1000);
  }

  /** The shared buffer behind this cache, when it has one (fill with shared, or over a SharedArrayBuffer). */
  get sharedBuffer(): SharedArrayBuffer | undefined {
    const b = this.storage.buffer.buffer;
    return b instanceof SharedArrayBuffer ? b : undefined;
  }

  /** Fills `part` (rows of the layout) of a buffer other threads may be filling too: each writes only its rows. */
  static async fillPart(
    split: FrozenSplit,
    ids: readonly Int32Array[],
    layout: StateLayout,
    buffer: Float32Array,
    part: readonly number[],
  ): Promise<void> {
    const unique = [...new Set(part)].sort((a, b) => ids[a].length - ids[b].length);
    for (let s = 0; s < unique.length; s += FILL_CHUNK) {
      const chunk = unique.slice(s, s + FILL_CHUNK);
      const x = padIds(chunk.map((i) => ids[i]));
      const states = split.lower(x.ids, x.mask);
      const T = states.shape[1];
      const values = (await states.data()) as Float32Array;
      chunk.forEach((row, b) => {
        const offset = layout.offsets.get(row);
        if (offset === undefined) throw new RangeError(`row ${row} is not in the state layout`);
        const start = b * T * split.width;
        buffer.set(values.subarray(start, start + Math.max(1, ids[row].length) * split.width), offset);
      });
      tf.dispose([states, x.ids, x.mask]);
    }
  }

  /** A cache reading a filled buffer in place (no copy), e.g. one shared between threads. */
  static over(ids: readonly Int32Array[], layout: StateLayout, buffer: Float32Array, fillSeconds: number): StateCache {
    const rows = new Map<number, Float32Array>();
    for (const [row, offset] of layout.offsets)
      rows.set(row, buffer.subarray(offset, offset + Math.max(1, ids[row].length) * layout.width));
    return new StateCache(rows, ids, layout.width, fillSeconds, { layout, buffer });
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
