// Full mode's spec for one run: on this thread, or data-parallel over worker threads when more than one computes.
import os from 'node:os';
import type { Logger } from '../../src/logging';
import type { BackendChoice } from '../backend';
import type { TrainableEncoder } from '../encoders/trainable-encoder';
import type { HybridHead } from '../heads/hybrid-head';
import type { FullModeData } from '../modes/full-mode';
import { openFullModeSpec, resolveTrainThreads, type OpenedFullModeSpec } from '../parallel';
import type { TrainOptions } from './options';

export interface OpenFullModeArgs {
  options: TrainOptions;
  backend: BackendChoice;
  encoder: TrainableEncoder;
  head: HybridHead;
  data: FullModeData;
  logger: Logger;
}

/** Opens the spec for the run's --threads and logs the choice and the state cache's size. */
export async function openFullMode(args: OpenFullModeArgs): Promise<OpenedFullModeSpec> {
  const { options: o, backend, encoder, head, data, logger } = args;
  const freeze = { freezeEmbeddings: o.freezeEmbeddings, freezeLowerLayer: o.freezeLowerLayer };
  const threads = resolveTrainThreads(o.threads, backend, os.availableParallelism());
  const opened = await openFullModeSpec({
    threads,
    backend,
    encoder: { encoder: o.encoder, ...(o.pooling ? { pooling: o.pooling } : {}) },
    trainable: encoder,
    head,
    data,
    freeze,
  });
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
