// The seam between the engine and whatever runs the network: ONNX Runtime in this thread or a worker, a fake in fast tests.

export interface ModelOutputs {
  /** Row-major [batch, dim]. */
  embedding: Float32Array;
  embeddingDim: number;
  logits: Float32Array;
  probability: Float32Array;
}

export interface TextModel {
  /** Which execution provider (or fake) runs the model, for logs and /metrics. */
  readonly provider: string;
  readonly embeddingDim: number;
  /** Calls it can run at once (its worker threads); absent: 1. */
  readonly parallelism?: number;
  /** One output row per sequence, in order; sequences are unpadded token ids. */
  run(sequences: readonly Int32Array[]): Promise<ModelOutputs>;
  dispose(): Promise<void>;
}
