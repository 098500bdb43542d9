// How an ONNX session is opened, wherever it lives (this thread or a worker): options, provider fallback, I/O checks.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ExecutionProvider } from '../config';
import { ModelLoadError } from '../errors';
import type { Logger } from '../logging';

export const MODEL_INPUTS = ['input_ids', 'attention_mask'] as const;
export const MODEL_OUTPUTS = ['embedding', 'logits', 'probability'] as const;
/** Optional output (USE-lite bundles from the token-states exporter on): per-token states before pooling. */
export const TOKEN_STATES_OUTPUT = 'token_states';

/** The outputs a run fetches: named, because without a list ORT copies every output, token_states included. */
export function runFetches(tokenStates: boolean): string[] {
  return tokenStates ? [...MODEL_OUTPUTS, TOKEN_STATES_OUTPUT] : [...MODEL_OUTPUTS];
}

/** The plain-data subset of ORT's SessionOptions we set; plain data so it can be posted to a worker thread. */
export interface SessionSettings {
  graphOptimizationLevel: 'all';
  intraOpNumThreads?: number;
  interOpNumThreads: number;
  executionMode: 'sequential';
  enableCpuMemArena: boolean;
  enableMemPattern: boolean;
  executionProviders: ExecutionProvider[];
  extra?: { session: { intra_op: { allow_spinning: '0' | '1' } } };
}

export interface SessionTuning {
  /** Intra-op threads; 0 lets ORT decide (one per physical core). */
  threads: number;
  /** Whether idle intra-op threads busy-wait for the next op; undefined keeps ORT's default (on). */
  spinning?: boolean;
}

export function sessionSettings(tuning: SessionTuning, providers: ExecutionProvider[]): SessionSettings {
  return {
    graphOptimizationLevel: 'all',
    ...(tuning.threads > 0 ? { intraOpNumThreads: tuning.threads } : {}),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    enableCpuMemArena: true,
    enableMemPattern: true,
    executionProviders: providers,
    ...(tuning.spinning === undefined
      ? {}
      : { extra: { session: { intra_op: { allow_spinning: tuning.spinning ? '1' : '0' } } } }),
  };
}

/**
 * A side graph (the drivers' tail: one [rows, 512] × [512, 512] product per request) on the CPU with one thread and no
 * spinning: it is too small to gain from a pool or a GPU round trip, and must not keep a second pool spinning.
 */
export function sideGraphSettings(): SessionSettings {
  return sessionSettings({ threads: 1, spinning: false }, ['cpu']);
}

/** Refuses a side graph whose input or output is not the one its caller will feed or fetch. */
export function checkSideGraph(
  signature: Pick<SessionSignature, 'inputNames' | 'outputNames'>,
  spec: SideGraphIo,
): void {
  if (!signature.inputNames.includes(spec.input) || !signature.outputNames.includes(spec.output)) {
    throw new ModelLoadError(
      `side graph has inputs [${signature.inputNames.join(', ')}] and outputs [${signature.outputNames.join(', ')}]; ` +
        `expected input ${spec.input} and output ${spec.output}`,
    );
  }
}

interface SideGraphIo {
  input: string;
  output: string;
}

/** What a session reports about its graph's inputs and outputs (the shape ORT's metadata has). */
export interface SessionSignature {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata: readonly { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }[];
  outputMetadata: readonly { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }[];
}

export interface FallbackOptions {
  modelPath: string;
  /** A different file per provider (fp32 for CUDA, int8 for CPU); absent entries open modelPath. */
  modelPathByProvider?: Partial<Record<ExecutionProvider, string>>;
  providers: ExecutionProvider[];
  logger: Logger;
}

/**
 * Tries the providers in order, each with its own file, through `open` (in-thread ORT or a worker). Later providers
 * stay in the list given to ORT so it can place ops the preferred one does not implement.
 */
export async function openWithFallback<S>(
  opts: FallbackOptions,
  open: (modelPath: string, providers: ExecutionProvider[]) => Promise<S>,
): Promise<{ session: S; provider: ExecutionProvider; modelPath: string }> {
  const failures: string[] = [];
  // A provider that is simply not installed is the normal CPU-only setup (info); one that failed to start is a warning.
  let broken = false;
  const tried = new Set<string>();
  for (let i = 0; i < opts.providers.length; i++) {
    const provider = opts.providers[i];
    const modelPath = opts.modelPathByProvider?.[provider] ?? opts.modelPath;
    const missing = provider === 'cuda' ? missingCudaProvider() : undefined;
    if (missing) {
      failures.push(`cuda unavailable (${missing})`);
      continue;
    }
    tried.add(modelPath);
    try {
      const session = await open(modelPath, opts.providers.slice(i));
      if (failures.length > 0) {
        opts.logger[broken ? 'warn' : 'info'](
          { provider, failures },
          `ONNX Runtime fell back to ${provider}: ${failures.join('; ')}`,
        );
      }
      return { session, provider, modelPath };
    } catch (e) {
      broken = true;
      failures.push(`${provider} unavailable (${(e as Error).message.split('\n')[0]})`);
    }
  }
  const files = tried.size > 0 ? [...tried].join(', ') : opts.modelPath;
  throw new ModelLoadError(`cannot open ONNX model ${files}: ${failures.join('; ')}`);
}

/**
 * The npm package ships the CPU provider only; the CUDA provider library is added by
 * `npm install onnxruntime-node --onnxruntime-node-install=cuda12` on a GPU machine. Checking for the file first
 * avoids ORT's native error spew on every CPU-only start, while a present library is still tried for real.
 */
function missingCudaProvider(): string | undefined {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  const dir = path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return fs.existsSync(path.join(dir, lib))
    ? undefined
    : `${lib} not installed; reinstall onnxruntime-node with --onnxruntime-node-install=cuda12 on a CUDA machine`;
}

/** Fails at load, not at the first request, when the graph is not a churnscope text model. Returns the embedding width. */
export function checkSignature(session: SessionSignature, modelPath: string): number {
  const missingIn = MODEL_INPUTS.filter((n) => !session.inputNames.includes(n));
  const missingOut = MODEL_OUTPUTS.filter((n) => !session.outputNames.includes(n));
  if (missingIn.length || missingOut.length) {
    throw new ModelLoadError(
      `${modelPath} is not a churnscope text model: expected inputs [${MODEL_INPUTS.join(', ')}] and outputs [${MODEL_OUTPUTS.join(', ')}], ` +
        `found inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]`,
    );
  }
  for (const meta of session.inputMetadata) {
    if (meta.isTensor && (MODEL_INPUTS as readonly string[]).includes(meta.name)) {
      const shape = meta.shape ?? [];
      if (meta.type !== 'int64' || shape.length !== 2) {
        throw new ModelLoadError(
          `${modelPath}: input ${meta.name} must be int64 [batch, sequence], found ${meta.type} [${shape.join(', ')}]`,
        );
      }
    }
  }
  const emb = session.outputMetadata.find((m) => m.name === 'embedding');
  const dim = emb && emb.isTensor ? emb.shape?.[1] : undefined;
  if (typeof dim !== 'number' || dim <= 0) {
    throw new ModelLoadError(`${modelPath}: output embedding must be float [batch, dim] with a fixed dim`);
  }
  return dim;
}
