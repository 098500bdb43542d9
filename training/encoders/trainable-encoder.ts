// The contract every trainable text-encoder family (USE-lite now, BERT-like later) implements for the trainer.
import type * as tf from '@tensorflow/tfjs';

/** Which parts of an encoder to keep fixed while fine-tuning; a family ignores what it does not have. */
export interface FreezeOptions {
  /** Keep the token-embedding table fixed (the largest tensor, and the one most prone to overfitting). */
  freezeEmbeddings?: boolean;
  /** Keep the lowest transformer layer fixed (for USE-lite: layer 0 of its two). */
  freezeLowerLayer?: boolean;
}

/**
 * An encoder cut where its trainable part begins: everything below is fixed by the freeze options, so a trainer can
 * run `lower` once per text, cache its valid positions, and train `upper` on the cached states every epoch.
 */
export interface FrozenSplit {
  /** Width of a cached state (the hidden size at the cut). */
  readonly width: number;
  /** The fixed part: [B, T] ids and mask to [B, T, width] states; valid positions do not depend on padding. */
  lower(inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D): tf.Tensor3D;
  /** The trainable rest, from padded states: [B, T, width] and the mask to [B, outputDim], as apply() would give. */
  upper(states: tf.Tensor3D, attentionMask: tf.Tensor2D): tf.Tensor2D;
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
  /** The cut for these freeze options, or undefined when nothing below a layer is fixed (or the family has none). */
  frozenSplit?(opts: FreezeOptions): FrozenSplit | undefined;
  /** The variables an optimiser should update, in a stable order. */
  trainableVariables(opts?: FreezeOptions): tf.Variable[];
  dispose(): void;
}
