// The only module that imports onnxruntime-node: owns one InferenceSession, picks the execution provider, checks the model's I/O.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelLoadError } from '../errors';
import type { Logger } from '../logging';
import type { ExecutionProvider } from '../config';

export const MODEL_INPUTS = ['input_ids', 'attention_mask'] as const;
export const MODEL_OUTPUTS = ['embedding', 'logits', 'probability'] as const;
/** Optional output (USE-lite bundles from the token-states exporter on): per-token states before pooling. */
export const TOKEN_STATES_OUTPUT = 'token_states';

export interface OnnxSessionOptions {
  modelPath: string;
  /** A different file per provider (fp32 for CUDA, int8 for CPU); absent entries open modelPath. */
  modelPathByProvider?: Partial<Record<ExecutionProvider, string>>;
  providers: ExecutionProvider[];
  /** 0 = let ORT decide (all cores). */
  threads: number;
  logger: Logger;
}

export interface ModelOutputs {
  /** Row-major [batch, dim]. */
  embedding: Float32Array;
  embeddingDim: number;
  logits: Float32Array;
  probability: Float32Array;
  /** Row-major [batch, sequence, dim] encoder states, rows right-padded to `sequence`; only when run asked for them. */
  tokenStates?: { data: Float32Array; sequence: number; dim: number };
}

export interface ModelRunOptions {
  /** Also fetch token_states (a model whose supportsTokenStates is true); otherwise ORT never copies them out. */
  tokenStates?: boolean;
}

export class OnnxSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProvider,
    readonly embeddingDim: number,
    /** The file this session opened (it depends on the provider when modelPathByProvider is given). */
    readonly modelPath: string,
    readonly supportsTokenStates: boolean,
  ) {}

  static async create(opts: OnnxSessionOptions): Promise<OnnxSession> {
    const { session, provider, modelPath } = await openWithFallback(opts);
    const embeddingDim = checkSignature(session, modelPath);
    const tokenStates = session.outputNames.includes(TOKEN_STATES_OUTPUT);
    opts.logger.info(
      { provider, modelPath, threads: opts.threads || 'auto', tokenStates },
      `ONNX Runtime execution provider: ${provider}`,
    );
    return new OnnxSession(session, provider, embeddingDim, modelPath, tokenStates);
  }

  /** Runs a padded batch; sequences must be non-empty and are right-padded with id 0 under a zero mask. */
  async run(sequences: readonly Int32Array[], opts: ModelRunOptions = {}): Promise<ModelOutputs> {
    const batch = sequences.length;
    const seq = sequences.reduce((m, s) => Math.max(m, s.length), 1);
    const ids = new BigInt64Array(batch * seq);
    const mask = new BigInt64Array(batch * seq);
    sequences.forEach((s, b) => {
      const row = b * seq;
      for (let t = 0; t < s.length; t++) {
        ids[row + t] = BigInt(s[t]);
        mask[row + t] = 1n;
      }
    });
    const withStates = opts.tokenStates === true && this.supportsTokenStates;
    // Named fetches: without them ORT copies every graph output, token_states ([batch, sequence, 512]) included.
    const fetches: string[] = withStates ? [...MODEL_OUTPUTS, TOKEN_STATES_OUTPUT] : [...MODEL_OUTPUTS];
    const out = await this.session.run(
      {
        input_ids: new ort.Tensor('int64', ids, [batch, seq]),
        attention_mask: new ort.Tensor('int64', mask, [batch, seq]),
      },
      fetches,
    );
    const states = withStates ? out[TOKEN_STATES_OUTPUT] : undefined;
    return {
      embedding: out.embedding.data as Float32Array,
      embeddingDim: this.embeddingDim,
      logits: out.logits.data as Float32Array,
      probability: out.probability.data as Float32Array,
      ...(states ? { tokenStates: { data: states.data as Float32Array, sequence: seq, dim: states.dims[2] } } : {}),
    };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

async function openWithFallback(
  opts: OnnxSessionOptions,
): Promise<{ session: ort.InferenceSession; provider: ExecutionProvider; modelPath: string }> {
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    ...(opts.threads > 0 ? { intraOpNumThreads: opts.threads } : {}),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    enableCpuMemArena: true,
    enableMemPattern: true,
  };
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
      // Later providers stay in the list so ORT can place ops the preferred one does not implement.
      const session = await ort.InferenceSession.create(modelPath, {
        ...base,
        executionProviders: opts.providers.slice(i),
      });
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
function checkSignature(session: ort.InferenceSession, modelPath: string): number {
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
      if (meta.type !== 'int64' || meta.shape.length !== 2) {
        throw new ModelLoadError(
          `${modelPath}: input ${meta.name} must be int64 [batch, sequence], found ${meta.type} [${meta.shape.join(', ')}]`,
        );
      }
    }
  }
  const emb = session.outputMetadata.find((m) => m.name === 'embedding');
  const dim = emb && emb.isTensor ? emb.shape[1] : undefined;
  if (typeof dim !== 'number' || dim <= 0) {
    throw new ModelLoadError(`${modelPath}: output embedding must be float [batch, dim] with a fixed dim`);
  }
  return dim;
}
