// The in-thread text model and the only TypeScript module that imports onnxruntime-node: one InferenceSession, provider fallback, I/O checks.
import * as ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../config';
import { InferenceError, ServiceUnavailableError } from '../errors';
import type { Logger } from '../logging';
import { emptyOutputs, packBatch } from './pack-batch';
import {
  TOKEN_STATES_OUTPUT,
  checkSideGraph,
  checkSignature,
  openWithFallback,
  runFetches,
  sessionSettings,
  sideGraphSettings,
} from './session-setup';
import type { ModelOutputs, ModelRunOptions, SideGraph, SideGraphSpec, TextModel } from './text-model';

export { MODEL_INPUTS, MODEL_OUTPUTS, TOKEN_STATES_OUTPUT } from './session-setup';
export type { ModelOutputs, ModelRunOptions };

export interface OnnxSessionOptions {
  modelPath: string;
  /** A different file per provider (fp32 for CUDA, int8 for CPU); absent entries open modelPath. */
  modelPathByProvider?: Partial<Record<ExecutionProvider, string>>;
  providers: ExecutionProvider[];
  /** 0 = let ORT decide (all cores). */
  threads: number;
  /** allow_spinning of the intra-op pool; undefined keeps ORT's default. */
  spinning?: boolean;
  logger: Logger;
}

export class OnnxSession implements TextModel {
  private disposed = false;
  private readonly sideSessions: ort.InferenceSession[] = [];

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProvider,
    readonly embeddingDim: number,
    /** The file this session opened (it depends on the provider when modelPathByProvider is given). */
    readonly modelPath: string,
    readonly supportsTokenStates: boolean,
  ) {}

  static async create(opts: OnnxSessionOptions): Promise<OnnxSession> {
    const { session, provider, modelPath } = await openWithFallback(opts, (file, providers) =>
      ort.InferenceSession.create(file, sessionSettings(opts, providers) as ort.InferenceSession.SessionOptions),
    );
    let embeddingDim: number;
    try {
      embeddingDim = checkSignature(session, modelPath);
    } catch (e) {
      await session.release();
      throw e;
    }
    const tokenStates = session.outputNames.includes(TOKEN_STATES_OUTPUT);
    opts.logger.info(
      { provider, modelPath, threads: opts.threads || 'auto', tokenStates },
      `ONNX Runtime execution provider: ${provider}`,
    );
    return new OnnxSession(session, provider, embeddingDim, modelPath, tokenStates);
  }

  /** Runs a padded batch; sequences must be non-empty and are right-padded with id 0 under a zero mask. */
  async run(sequences: readonly Int32Array[], opts: ModelRunOptions = {}): Promise<ModelOutputs> {
    if (this.disposed) throw new ServiceUnavailableError('the model was disposed; retry on the active model');
    if (sequences.length === 0) return emptyOutputs(this.embeddingDim);
    const { batch, seq, ids, mask } = packBatch(sequences);
    const withStates = opts.tokenStates === true && this.supportsTokenStates;
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(
        {
          input_ids: new ort.Tensor('int64', ids, [batch, seq]),
          attention_mask: new ort.Tensor('int64', mask, [batch, seq]),
        },
        runFetches(withStates),
      );
    } catch (e) {
      throw new InferenceError(`model run failed: ${(e as Error).message.split('\n')[0]}`, { cause: e });
    }
    return {
      embedding: out.embedding.data as Float32Array,
      embeddingDim: this.embeddingDim,
      logits: out.logits.data as Float32Array,
      probability: out.probability.data as Float32Array,
      ...(withStates
        ? {
            tokenStates: {
              data: out[TOKEN_STATES_OUTPUT].data as Float32Array,
              sequence: seq,
              dim: out[TOKEN_STATES_OUTPUT].dims[2],
            },
          }
        : {}),
    };
  }

  async openSideGraph(spec: SideGraphSpec): Promise<SideGraph> {
    const graph = await ort.InferenceSession.create(
      spec.bytes,
      sideGraphSettings() as ort.InferenceSession.SessionOptions,
    );
    try {
      checkSideGraph(graph, spec);
    } catch (e) {
      await graph.release();
      throw e;
    }
    this.sideSessions.push(graph);
    return {
      run: async (input, dims) => {
        if (this.disposed) throw new ServiceUnavailableError('the model was disposed; retry on the active model');
        try {
          const out = await graph.run({ [spec.input]: new ort.Tensor('float32', input, [...dims]) }, [spec.output]);
          return out[spec.output].data as Float32Array;
        } catch (e) {
          throw new InferenceError(`side graph run failed: ${(e as Error).message.split('\n')[0]}`, { cause: e });
        }
      },
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const graph of this.sideSessions) await graph.release();
    await this.session.release();
  }
}
