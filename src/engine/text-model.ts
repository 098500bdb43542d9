// The seam between the engine and whatever runs the network: ONNX Runtime in this thread or a worker, a fake in fast tests.

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

/** A small float graph run next to the model (one input, one output), e.g. the phrase drivers' tail. */
export interface SideGraphSpec {
  /** ONNX ModelProto bytes (built by onnx/). */
  bytes: Uint8Array;
  input: string;
  output: string;
}

export interface SideGraph {
  /** Runs the graph on a float tensor of `dims`; the output's data, float32. */
  run(input: Float32Array, dims: readonly number[]): Promise<Float32Array>;
}

export interface TextModel {
  /** Which execution provider (or fake) runs the model, for logs and /metrics. */
  readonly provider: string;
  readonly embeddingDim: number;
  /** Calls it can run at once (its worker threads); absent: 1. */
  readonly parallelism?: number;
  /** Whether run() can return tokenStates (the graph has the token_states output); absent means no. */
  readonly supportsTokenStates?: boolean;
  /** One output row per sequence, in order; sequences are unpadded token ids. */
  run(sequences: readonly Int32Array[], opts?: ModelRunOptions): Promise<ModelOutputs>;
  /**
   * Opens a side graph on the same runtime and threads as the model (absent: the model cannot, e.g. a fake). It lives
   * as long as the model: dispose() releases it.
   */
  openSideGraph?(spec: SideGraphSpec): Promise<SideGraph>;
  dispose(): Promise<void>;
}
