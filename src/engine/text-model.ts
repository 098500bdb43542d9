// The seam between the engine and whatever runs the network: ONNX Runtime in production, a fake in fast tests.
import type { ModelOutputs, ModelRunOptions } from './onnx-session';

export type { ModelOutputs, ModelRunOptions };

export interface TextModel {
  /** Which execution provider (or fake) runs the model, for logs and /metrics. */
  readonly provider: string;
  readonly embeddingDim: number;
  /** Whether run() can return tokenStates (the graph has the token_states output); absent means no. */
  readonly supportsTokenStates?: boolean;
  /** One output row per sequence, in order; sequences are unpadded token ids. */
  run(sequences: readonly Int32Array[], opts?: ModelRunOptions): Promise<ModelOutputs>;
  dispose(): Promise<void>;
}
