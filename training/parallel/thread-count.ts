// How many threads compute a full-mode step's gradients: the rule behind `--threads auto`.
import { ValidationError } from '../../src/errors';
import type { BackendChoice } from '../backend';

/** Past this, summing the workers' gradients and sharing the weights costs more than another part saves. */
const MAX_AUTO_THREADS = 4;

/**
 * wasm and cpu run each TF.js instance on one core, so data parallelism is the only way to use the others: auto gives
 * one thread per core (at most MAX_AUTO_THREADS). tfjs-node already spreads its kernels over the cores and a GPU runs
 * the whole batch at once, so auto gives them one. A number is taken as given.
 */
export function resolveTrainThreads(requested: 'auto' | number, backend: BackendChoice, cores: number): number {
  if (requested !== 'auto') return requested;
  if (backend === 'wasm' || backend === 'cpu') return Math.max(1, Math.min(cores, MAX_AUTO_THREADS));
  return 1;
}

/** `--threads auto` or a whole number of threads from 1 to 64 (train, retrain and cv:fine-tune). */
export function parseTrainThreads(flag: string | undefined): 'auto' | number {
  if (flag === undefined || flag === 'auto') return 'auto';
  const n = Number(flag);
  if (!/^\d+$/.test(flag.trim()) || n < 1 || n > 64)
    throw new ValidationError(`--threads must be auto or a whole number from 1 to 64, got "${flag}"`, {
      field: 'threads',
    });
  return n;
}
