// The one choice between a one-thread full-mode spec and a data-parallel one, for the pipeline and the scripts alike.
import { fullModeSpec, type FullModeSpec } from '../modes/full-mode';
import { DataParallelFullMode, type DataParallelOptions } from './data-parallel';

export interface FullModeSpecOptions extends DataParallelOptions {
  /** One thread only (bench:train's uncached peer): data-parallel runs always cache when the freeze options allow. */
  cacheFrozenStates?: boolean;
}

export interface OpenedFullModeSpec {
  spec: FullModeSpec;
  threads: number;
  /** Stops the workers, if any; the encoder and head stay with the caller. */
  dispose: () => Promise<void>;
}

/** `threads` > 1: DataParallelFullMode; else fullModeSpec on this thread, with the same rows and cache. */
export async function openFullModeSpec(opts: FullModeSpecOptions): Promise<OpenedFullModeSpec> {
  const { threads, cacheFrozenStates, ...rest } = opts;
  if (threads > 1) {
    if (cacheFrozenStates === false)
      throw new RangeError('cacheFrozenStates: false is for one thread; data-parallel runs share one state cache');
    const dp = await DataParallelFullMode.create({ ...rest, threads });
    return { spec: dp.spec, threads, dispose: () => dp.dispose() };
  }
  const spec = await fullModeSpec(rest.trainable, rest.head, rest.data, rest.freeze, {
    ...(rest.rows ? { rows: rest.rows } : {}),
    ...(cacheFrozenStates !== undefined ? { cacheFrozenStates } : {}),
    ...(rest.stateCache ? { stateCache: rest.stateCache } : {}),
  });
  return { spec, threads: 1, dispose: () => Promise.resolve() };
}
