// Text in, model outputs out: validates, tokenizes, windows long texts and feeds the micro-batcher; the online and batch paths share it.
import type { EngineConfig } from '../config';
import { OverloadedError, ValidationError } from '../errors';
import type { Logger } from '../logging';
import { sanitizeText } from '../text/sanitize';
import { rareShareOf } from '../tokenize';
import { validateText } from '../text/validate-text';
import { batchPolicyFor, type BatchPolicy } from './batch-policy';
import { MicroBatcher, type BatchStats } from './micro-batcher';
import type { ModelPrecision } from './model-precision';
import type { SideGraph, SideGraphSpec, TextModel } from './text-model';
import { aggregateWindowScores, meanEmbedding, splitWindows, type WindowScores } from './windows';

export interface EngineTokenizer {
  /** `offsets`: UTF-16 [start, end) of token t at [2t, 2t+1]; a tokenizer that cannot tell may leave them out. */
  encodeBatch(texts: string[], opts?: { offsets?: boolean }): Promise<{ ids: Int32Array; offsets?: Uint32Array }[]>;
}

export interface ScoreOptions {
  /** Batch-job work: yields the model to interactive calls whenever both wait. */
  bulk?: boolean;
  /** Also return per-window token states (TextScore.tokenStates), on a model that has them, from the same pass. */
  tokenStates?: boolean;
  /**
   * performance.now() by which the texts' windows should be done; windows that would start too late fail the call
   * with an OverloadedError instead of running (admission control's bound on the queue wait). Absent: no deadline.
   */
  deadline?: number;
}

export interface InferenceEngineOptions {
  model: TextModel;
  tokenizer: EngineTokenizer;
  config: EngineConfig;
  logger: Logger;
  onBatch?: (stats: BatchStats) => void;
  /** Which bundle file the model came from; absent (fakes): fp32, file "none". */
  loaded?: { precision: ModelPrecision; modelFile: string };
  /** Which ids count as rare (drift's rare-token share); absent: TextScore.rareTokens is left out. */
  isRareToken?: (id: number) => boolean;
}

export interface TextScore {
  /** The text's probability of the positive (dissatisfied / churn) class, windows combined per config. */
  probability: number;
  windows: WindowScores & { count: number; truncated: boolean };
  /** Unit-length text embedding (mean of window embeddings). */
  embedding: Float32Array;
  tokens: number;
  /**
   * Share of the text's first window (maxTokens) that is rare tokens (src/tokenize/rare-tokens.ts): the window a
   * bundle's validation split keeps, so the share compares with its drift reference. Absent without a rare-token rule.
   */
  rareShare?: number;
  /** Only with score(…, { tokenStates: true }) and a model that supports them. */
  tokenStates?: TextTokenStates;
}

export interface TextTokenStates {
  /** Token t of the text spans text.slice(offsets[2t], offsets[2t+1]); absent when the tokenizer gives no offsets. */
  offsets?: Uint32Array;
  /** Width of one token state. */
  dim: number;
  windows: WindowTokenStates[];
}

export interface WindowTokenStates {
  /** Index of the window's first token among the text's tokens. */
  start: number;
  ids: Int32Array;
  logit: number;
  probability: number;
  /** Row-major [ids.length, dim]. */
  states: Float32Array;
}

interface WindowJob {
  ids: Int32Array;
  tokenStates: boolean;
}

interface WindowResult {
  probability: number;
  logit: number;
  embedding: Float32Array;
  states?: Float32Array;
}

export class InferenceEngine {
  private readonly batcher: MicroBatcher<WindowJob, WindowResult>;
  /** Which windows share a model call, for the provider that runs (batch-policy.ts). */
  readonly policy: BatchPolicy;
  private closed = false;
  private inFlight = 0;

  constructor(private readonly opts: InferenceEngineOptions) {
    const { config } = opts;
    this.policy = batchPolicyFor(opts.model.provider, config);
    this.batcher = new MicroBatcher<WindowJob, WindowResult>({
      maxBatch: this.policy.maxBatch,
      maxBulkBatch: config.maxBulkBatch,
      maxWaitMs: this.policy.maxWaitMs,
      maxQueue: config.maxQueue,
      concurrency: opts.model.parallelism ?? 1,
      maxPaddingFraction: this.policy.maxPaddingFraction,
      maxBatchTokens: this.policy.maxBatchTokens,
      lengthOf: (job) => job.ids.length,
      run: (batch) => this.runWindows(batch),
      onBatch: opts.onBatch,
    });
  }

  get provider(): string {
    return this.opts.model.provider;
  }

  get precision(): ModelPrecision {
    return this.opts.loaded?.precision ?? 'fp32';
  }

  /** The bundle-relative ONNX file that runs, e.g. onnx/model_quantized.onnx. */
  get modelFile(): string {
    return this.opts.loaded?.modelFile ?? 'none';
  }

  /** Whether score(…, { tokenStates: true }) returns token states (decomposed phrase drivers are possible). */
  get supportsTokenStates(): boolean {
    return this.opts.model.supportsTokenStates === true;
  }

  /** How window probabilities combine into a text's: what per-window driver effects must be combined with too. */
  get windowAggregate(): 'max' | 'mean' {
    return this.opts.config.windowAggregate;
  }

  /** A side graph on the model's runtime (the drivers' tail); undefined when the model cannot run one (fakes). */
  async openSideGraph(spec: SideGraphSpec): Promise<SideGraph | undefined> {
    return this.opts.model.openSideGraph?.(spec);
  }

  get queueDepth(): number {
    return this.batcher.queueDepth;
  }

  /** Estimated wait before newly submitted work starts on the model (admission control refuses work above a bound). */
  get estimatedWaitMs(): number {
    return this.batcher.estimatedWaitMs;
  }

  /**
   * Scores texts; a bad entry fails the whole call with an error naming its index (nothing is half-scored).
   * `bulk` (batch jobs) yields the model to interactive calls whenever both wait.
   */
  async score(texts: readonly unknown[], opts: ScoreOptions = {}): Promise<TextScore[]> {
    if (this.closed) throw new OverloadedError('the engine is shutting down; retry on another instance');
    this.inFlight++;
    try {
      return await this.scoreAccepted(texts, {
        bulk: opts.bulk ?? false,
        tokenStates: opts.tokenStates === true && this.supportsTokenStates,
        deadline: opts.deadline,
      });
    } finally {
      this.inFlight--;
    }
  }

  private async scoreAccepted(
    texts: readonly unknown[],
    { bulk, tokenStates, deadline }: { bulk: boolean; tokenStates: boolean; deadline?: number },
  ): Promise<TextScore[]> {
    const { config } = this.opts;
    const field = (i: number) => (texts.length === 1 ? 'text' : `texts[${i}]`);
    const clean = texts.map((t, i) =>
      sanitizeText(validateText(t, { maxBytes: config.maxTextBytes, field: field(i) })),
    );
    const encoded = await this.opts.tokenizer.encodeBatch(clean, tokenStates ? { offsets: true } : undefined);
    const windowed = encoded.map(({ ids }, i) => {
      if (ids.length === 0) {
        throw new ValidationError(`${field(i)} has no scorable content after normalisation`, { field: field(i) });
      }
      return {
        tokens: ids.length,
        rareShare: this.rareShareOf(ids),
        ...splitWindows(ids, { size: config.maxTokens, overlap: config.windowOverlap, maxWindows: config.maxWindows }),
      };
    });
    // One submit for every window of every text: the queue admits the request whole or refuses it whole, so a refusal
    // (queue full, shutting down) never leaves earlier texts' windows queued, running for nobody.
    const all = await Promise.all(
      this.batcher.submit(
        windowed.flatMap((w) => w.windows.map((ids) => ({ ids, tokenStates }))),
        { bulk, deadline },
      ),
    );
    let at = 0;
    return windowed.map((w, i) => {
      const windows = all.slice(at, (at += w.windows.length));
      const score = this.combine(windows, w.tokens, w.truncated, w.rareShare);
      if (!tokenStates) return score;
      return { ...score, tokenStates: this.tokenStatesOf(windows, w.windows, encoded[i].offsets) };
    });
  }
  private tokenStatesOf(results: WindowResult[], windows: Int32Array[], offsets?: Uint32Array): TextTokenStates {
    const stride = this.opts.config.maxTokens - this.opts.config.windowOverlap;
    const states = results.map((r, w) => {
      if (!r.states) throw new Error('internal: a window asked for token states came back without them');
      return { start: w * stride, ids: windows[w], logit: r.logit, probability: r.probability, states: r.states };
    });
    const dim = states[0].states.length / Math.max(states[0].ids.length, 1);
    return { ...(offsets ? { offsets } : {}), dim, windows: states };
  }

  /** The raw ceiling: pre-tokenized sequences straight to the model, no validation, windows or batching. */
  async runTokenized(sequences: readonly Int32Array[]): Promise<Float32Array> {
    return (await this.opts.model.run(sequences)).probability;
  }

  /**
   * Embeddings and probabilities of pre-tokenized sequences (one window each), run in length-sorted chunks of
   * maxBatch: the bulk path for training's frozen-encoder mode and for parity checks.
   */
  async embedTokenized(
    sequences: readonly Int32Array[],
  ): Promise<{ embeddings: Float32Array[]; probabilities: Float32Array }> {
    const order = sequences.map((_, i) => i).sort((a, b) => sequences[a].length - sequences[b].length);
    const embeddings = new Array<Float32Array>(sequences.length);
    const probabilities = new Float32Array(sequences.length);
    const size = this.opts.config.maxBatch;
    const chunks: number[][] = [];
    for (let s = 0; s < order.length; s += size) chunks.push(order.slice(s, s + size));
    // One chunk in flight per inference worker, so a multi-worker model is kept busy on bulk work too.
    let next = 0;
    const runner = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++];
        const results = await this.runWindows(chunk.map((i) => ({ ids: sequences[i], tokenStates: false })));
        chunk.forEach((row, k) => {
          embeddings[row] = results[k].embedding;
          probabilities[row] = results[k].probability;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.opts.model.parallelism ?? 1) }, runner));
    return { embeddings, probabilities };
  }

  /** Stops accepting work and releases the model once queued work has drained. */
  async dispose(): Promise<void> {
    this.closed = true;
    // Calls already accepted (maybe still tokenizing) finish; only then does the batcher stop taking work.
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 2));
    this.batcher.close();
    await this.batcher.drain();
    await this.opts.model.dispose();
  }

  private combine(windows: WindowResult[], tokens: number, truncated: boolean, rareShare?: number): TextScore {
    const scores = aggregateWindowScores(windows.map((w) => w.probability));
    return {
      probability: this.opts.config.windowAggregate === 'max' ? scores.max : scores.mean,
      windows: { ...scores, count: windows.length, truncated },
      embedding: meanEmbedding(windows.map((w) => w.embedding)),
      tokens,
      ...(rareShare === undefined ? {} : { rareShare }),
    };
  }

  private rareShareOf(ids: Int32Array): number | undefined {
    const isRare = this.opts.isRareToken;
    return isRare ? rareShareOf(ids.subarray(0, this.opts.config.maxTokens), isRare) : undefined;
  }

  private async runWindows(batch: WindowJob[]): Promise<WindowResult[]> {
    // One window that wants states makes the batch fetch them; the others just do not keep theirs.
    const tokenStates = batch.some((j) => j.tokenStates);
    const out = await this.opts.model.run(
      batch.map((j) => j.ids),
      tokenStates ? { tokenStates } : undefined,
    );
    const d = out.embeddingDim;
    const ts = out.tokenStates;
    return batch.map((job, i) => ({
      probability: out.probability[i],
      logit: out.logits[i],
      // Copies, so one request's result never aliases the batch buffer another request also holds.
      embedding: out.embedding.slice(i * d, (i + 1) * d),
      ...(job.tokenStates && ts
        ? { states: ts.data.slice(i * ts.sequence * ts.dim, (i * ts.sequence + job.ids.length) * ts.dim) }
        : {}),
    }));
  }
}
