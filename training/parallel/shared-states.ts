// The frozen-state cache of a data-parallel run: one SharedArrayBuffer every thread reads, filled in shares or handed in.
import { StateCache, stateLayout, type StateLayout } from '../modes/state-cache';
import type { FrozenSplit } from '../encoders/trainable-encoder';
import { splitBatch } from './split-batch';

export interface SharedStates {
  buffer: SharedArrayBuffer;
  view: Float32Array;
  layout: StateLayout;
  /** The rows the layout was built from: the workers rebuild the same layout from them. */
  rows: number[];
  /** Rows each thread computes (index 0: the training thread); all empty when the cache came filled. */
  fills: number[][];
  /** The cache handed in already filled, if any. */
  given?: StateCache;
}

/**
 * The plan for `rows` when the freeze options fix a lower part (`split`), else undefined. A given cache must live in
 * a SharedArrayBuffer (StateCache.fill with shared: true) and is used as it is; otherwise a new buffer is laid out and
 * its rows dealt to the threads by length, so each fills an equal share.
 */
export function planSharedStates(opts: {
  split: FrozenSplit | undefined;
  ids: readonly Int32Array[];
  rows: readonly number[];
  threads: number;
  given?: StateCache;
}): SharedStates | undefined {
  const { split, ids, threads, given } = opts;
  if (!split) return undefined;
  if (given) {
    const buffer = given.sharedBuffer;
    if (!buffer)
      throw new RangeError('a state cache handed to data-parallel training must be filled with shared: true');
    const { layout } = given.storage;
    const rows = [...layout.offsets.keys()];
    return {
      buffer,
      view: new Float32Array(buffer),
      layout,
      rows,
      fills: Array.from({ length: threads }, () => []),
      given,
    };
  }
  const layout = stateLayout(ids, opts.rows, split.width);
  const buffer = new SharedArrayBuffer(layout.floats * 4);
  const rows = [...layout.offsets.keys()];
  const fills = splitBatch(rows, threads, (r) => ids[r].length);
  return { buffer, view: new Float32Array(buffer), layout, rows, fills, given };
}

/** The training thread's share of the fill (the workers fill theirs while they build their specs). */
export async function fillOwnShare(split: FrozenSplit, ids: readonly Int32Array[], plan: SharedStates): Promise<void> {
  if (plan.fills[0]?.length) await StateCache.fillPart(split, ids, plan.layout, plan.view, plan.fills[0]);
}

/** The cache over the shared buffer once every share is filled. */
export function sharedStateCache(plan: SharedStates, ids: readonly Int32Array[], fillSeconds: number): StateCache {
  return plan.given ?? StateCache.over(ids, plan.layout, plan.view, fillSeconds);
}
