// How many threads compute a full-mode step's gradients: the rule behind `--threads auto`.
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
