// Picks the fastest TF.js backend that loads here and can really train: tfjs-node-gpu, tfjs-node, wasm, then cpu.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../src/errors';
import type { Logger } from '../../src/logging/index';
import { probeMismatch, transformerProbe } from './capability-probe';
import type { BackendProbe } from './capability-probe';

export type BackendChoice = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendChoice[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface SelectBackendOptions {
  logger: Logger;
  /** Where to start in BACKEND_ORDER; later ones remain fall-backs. 'auto' (default) starts at the top. */
  prefer?: 'auto' | BackendChoice;
  /**
   * Forward+backward check run on each candidate and compared with cpu; a backend that lacks a kernel
   * or computes it wrongly is skipped. Defaults to a small transformer step; false skips the check.
   */
  probe?: BackendProbe | false;
}

export interface SelectedBackend {
  name: BackendChoice;
  fellBackFrom: BackendChoice[];
}

// Names in variables so that neither tsc nor the bundler insist that optional packages exist.
const NODE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

export async function selectBackend(opts: SelectBackendOptions): Promise<SelectedBackend> {
  const { logger } = opts;
  // Production mode: no per-op debug checks, and no console banner from the cpu backend (we log our own choice).
  tf.env().set('PROD', true);
  const prefer = opts.prefer ?? 'auto';
  const start = prefer === 'auto' ? 0 : BACKEND_ORDER.indexOf(prefer);
  if (start < 0) throw new ConfigError(`unknown TF.js backend preference ${String(prefer)}`, { field: 'prefer' });
  const order = BACKEND_ORDER.slice(start);
  const probe = opts.probe === undefined ? transformerProbe : opts.probe;
  const reference = probe && order[0] !== 'cpu' ? await cpuReference(probe, logger) : undefined;
  const failures: string[] = [];
  const fellBackFrom: BackendChoice[] = [];
  for (const name of order) {
    try {
      await activate(name);
      if (probe && reference && name !== 'cpu') await checkTraining(probe, reference);
    } catch (err) {
      const reason = firstLine(err);
      logger.warn({ backend: name, reason }, `TF.js backend ${name} unavailable: ${reason}`);
      failures.push(`${name} unavailable: ${reason}`);
      fellBackFrom.push(name);
      continue;
    }
    const why = failures.length > 0 ? ` (${failures.join('; ')})` : '';
    logger.info({ backend: name, tfBackend: tf.getBackend(), fellBackFrom }, `TF.js backend: ${name}${why}`);
    return { name, fellBackFrom };
  }
  throw new ConfigError(`no TF.js backend could be started: ${failures.join('; ')}`);
}

/** The probe's result on the pure-JS cpu backend, the yardstick for the others; undefined if the probe itself fails. */
async function cpuReference(probe: BackendProbe, logger: Logger): Promise<Float32Array | undefined> {
  try {
    await activate('cpu');
    return await probe();
  } catch (err) {
    logger.warn(
      { reason: firstLine(err) },
      `TF.js backend probe fails on cpu, backends are not checked: ${firstLine(err)}`,
    );
    return undefined;
  }
}

/** Throws, saying why, unless the current backend runs the probe and agrees with cpu. */
async function checkTraining(probe: BackendProbe, reference: Float32Array): Promise<void> {
  let got: Float32Array;
  try {
    got = await probe();
  } catch (err) {
    throw new Error(`cannot run the training probe: ${firstLine(err)}`, { cause: err });
  }
  const mismatch = probeMismatch(got, reference);
  if (mismatch) throw new Error(`fails the training probe: ${mismatch}`);
}

/** Loads the package of a backend (if any), makes it current and waits until it is ready. */
async function activate(name: BackendChoice): Promise<void> {
  let tfName: string = name;
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    // Importing tfjs-node(-gpu) registers its 'tensorflow' backend with the shared tfjs-core.
    await import(/* @vite-ignore */ NODE_PACKAGES[name]);
    tfName = 'tensorflow';
  } else if (name === 'wasm') {
    await prepareWasm();
  }
  if (!(await tf.setBackend(tfName))) throw new Error(`tf.setBackend('${tfName}') failed`);
  await tf.ready();
  if (tf.getBackend() !== tfName) throw new Error(`backend is ${tf.getBackend()} after setting ${tfName}`);
}

let wasmPrepared = false;

async function prepareWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (wasmPrepared) return;
  // Point at the package's dist folder explicitly: bundlers and ESM loaders may not keep the CJS
  // build's __dirname. Threads stay off: the package disables them under Node (tensorflow/tfjs#3830),
  // so XNNPACK runs single-threaded with SIMD.
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  wasm.setWasmPaths(path.join(path.dirname(pkg), 'dist') + path.sep);
  wasmPrepared = true;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 300);
}

/** The backend TF.js is running on now (what selectBackend settled on, or TF.js's own default before it ran). */
export function activeBackendName(): string {
  return tf.getBackend();
}
