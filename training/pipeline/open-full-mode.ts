// Full mode's spec for one run: on this thread, or data-parallel over worker threads when more than one computes.
import os from 'node:os';
import type { Logger } from '../../src/logging';
import type { BackendChoice } from '../backend';
import type { TrainableEncoder } from '../encoders/trainable-encoder';
import type { HybridHead } from '../heads/hybrid-head';
import { fullModeSpec, type FullModeData, type FullModeSpec } from '../modes/full-mode';
import { DataParallelFullMode, resolveTrainThreads } from '../parallel';
import type { TrainOptions } from './options';

export interface OpenFullModeArgs {
  options: TrainOptions;
  backend: BackendChoice;
  encoder: TrainableEncoder;
  head: HybridHead;
  data: FullModeData;
  logger: Logger;
}

export interface OpenedFullMode {
  spec: FullModeSpec;
  threads: number;
  /** Stops the workers, if any; the encoder and head stay with the caller. */
  dispose(): Promise<void>;
}

export async function openFullMode(args: OpenFullModeArgs): Promise<OpenedFullMode> {
  const { options: o, backend, encoder, head, data, logger } = args;
  const freeze = { freezeEmbeddings: o.freezeEmbeddings, freezeLowerLayer: o.freezeLowerLayer };
  const threads = resolveTrainThreads(o.threads, backend, os.availableParallelism());
  let opened: OpenedFullMode;
  if (threads > 1) {
    const dp = await DataParallelFullMode.create({
      threads,
      backend,
      encoder: { encoder: o.encoder, ...(o.pooling ? { pooling: o.pooling } : {}) },
      trainable: encoder,
      head,
      data,
      freeze,
    });
    opened = { spec: dp.spec, threads, dispose: () => dp.dispose() };
  } else {
    opened = { spec: await fullModeSpec(encoder, head, data, freeze), threads, dispose: () => Promise.resolve() };
  }
  logger.info(
    { threads, backend, requested: o.threads },
    threads > 1
      ? `full mode: ${threads} threads compute each batch's gradients (data-parallel; ${backend} runs one core per thread)`
      : 'full mode: gradients on one thread',
  );
  const cache = opened.spec.stateCache;
  if (cache) {
    logger.info(
      { rows: cache.rows, mib: Math.round(cache.bytes / 2 ** 20), fillSeconds: Number(cache.fillSeconds.toFixed(1)) },
      'full mode: the frozen lower layers run once per text; each step trains the upper layers on their cached states',
    );
  }
  return opened;
}
