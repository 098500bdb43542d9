// The seam between the engine and whatever runs the network: ONNX Runtime in production, a fake in fast tests.
import type { ModelOutputs } from './onnx-session';

export type { ModelOutputs };

export interface TextModel {
  /** Which execution provider (or fake) runs the model, for logs and /metrics. */
  readonly provider: string;
  readonly embeddingDim: number;
  /** One output row per sequence, in order; sequences are unpadded token ids. */
  run(sequences: readonly Int32Array[]): Promise<ModelOutputs>;
  dispose(): Promise<void>;
}
