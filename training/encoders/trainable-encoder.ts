// The contract every trainable text-encoder family (USE-lite now, BERT-like later) implements for the trainer.
import type * as tf from '@tensorflow/tfjs';

/** Which parts of an encoder to keep fixed while fine-tuning; a family ignores what it does not have. */
export interface FreezeOptions {
  /** Keep the token-embedding table fixed (the largest tensor, and the one most prone to overfitting). */
  freezeEmbeddings?: boolean;
  /** Keep the lowest transformer layer fixed (for USE-lite: layer 0 of its two). */
  freezeLowerLayer?: boolean;
}

export interface TrainableEncoder {
  /** Family name, e.g. 'use-lite'; the exporter and the trainer dispatch on it. */
  readonly family: string;
  readonly outputDim: number;
  /**
   * inputIds: int32 [B, T], left-aligned; attentionMask: [B, T], 1 at tokens, 0 at padding (int32 or float).
   * Returns [B, outputDim]. Padding must not change the outputs of valid positions.
   */
  apply(inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D): tf.Tensor2D;
  /** The variables an optimiser should update, in a stable order. */
  trainableVariables(opts?: FreezeOptions): tf.Variable[];
  dispose(): void;
}
