// The classification head: a linear term on the sentence embedding plus an optional bag of token-id unigrams and hashed bigrams.
import * as tf from '@tensorflow/tfjs';
import { gatherRows } from '../backend';
import type { NamedArray } from '../../onnx/params/use-lite-params';
import type { HybridHeadConfig, HybridHeadParams } from '../../onnx/params/hybrid-head-params';

export type { HybridHeadConfig, HybridHeadParams };

export class HybridHead {
  readonly wEmb: tf.Variable;
  readonly bias: tf.Variable;
  readonly wUni?: tf.Variable;
  readonly wBi?: tf.Variable;

  constructor(
    readonly config: HybridHeadConfig,
    init?: HybridHeadParams,
  ) {
    this.wEmb = tf.variable(init ? tf.tensor1d(init.embeddingWeight.data) : tf.zeros([config.embeddingDim]), true);
    this.bias = tf.variable(tf.scalar(init?.bias ?? 0), true);
    if (config.unigrams) {
      this.wUni = tf.variable(
        init?.unigramWeight ? tf.tensor1d(init.unigramWeight.data) : tf.zeros([config.vocabSize]),
        true,
      );
    }
    if (config.bigramBuckets > 0) {
      this.wBi = tf.variable(
        init?.bigramWeight ? tf.tensor1d(init.bigramWeight.data) : tf.zeros([config.bigramBuckets]),
        true,
      );
    }
  }

  get variables(): tf.Variable[] {
    return [this.wEmb, this.bias, this.wUni, this.wBi].filter((v): v is tf.Variable => v !== undefined);
  }

  /** Variables whose L2 penalty is part of the loss (not the bias). */
  get penalised(): tf.Variable[] {
    return this.variables.filter((v) => v !== this.bias);
  }

  /** logits [B] from embeddings [B,D] and the token ids [B,T] (int32) with mask [B,T] (1 = token). */
  apply(embedding: tf.Tensor2D, ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      let logits = tf.add<tf.Tensor1D>(
        tf.squeeze(tf.matMul(embedding, tf.reshape(this.wEmb, [-1, 1])), [1]),
        this.bias,
      );
      const m = tf.cast(mask, 'float32');
      const len = tf.sum(m, 1);
      if (this.wUni) {
        const uni = tf.sum(tf.mul(lookup(this.wUni, tf.cast(ids, 'int32')), m), 1);
        logits = tf.add<tf.Tensor1D>(logits, tf.div(uni, tf.sqrt(tf.maximum(len, 1))));
      }
      if (this.wBi && ids.shape[1] > 1) {
        const T = ids.shape[1];
        const a = tf.cast(tf.slice(ids, [0, 0], [-1, T - 1]), 'int32');
        const b = tf.cast(tf.slice(ids, [0, 1], [-1, T - 1]), 'int32');
        const bucket = bigramBucket(a, b, this.config);
        const mb = tf.mul(tf.slice(m, [0, 0], [-1, T - 1]), tf.slice(m, [0, 1], [-1, T - 1]));
        const bi = tf.sum(tf.mul(lookup(this.wBi, bucket), mb), 1);
        logits = tf.add<tf.Tensor1D>(logits, tf.div(bi, tf.sqrt(tf.maximum(tf.sum(mb, 1), 1))));
      }
      return logits;
    });
  }

  async toParams(): Promise<HybridHeadParams> {
    const arr = async (v: tf.Variable): Promise<NamedArray> => ({
      shape: v.shape.slice(),
      data: (await v.data()) as Float32Array,
    });
    return {
      config: { ...this.config },
      embeddingWeight: await arr(this.wEmb),
      bias: (await this.bias.data())[0],
      unigramWeight: this.wUni ? await arr(this.wUni) : undefined,
      bigramWeight: this.wBi ? await arr(this.wBi) : undefined,
    };
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Per-id scalar weights; gatherRows keeps the gradient available on wasm (no UnsortedSegmentSum there). */
function lookup(weights: tf.Variable, ids: tf.Tensor): tf.Tensor {
  return tf.reshape(gatherRows(tf.reshape<tf.Rank.R2>(weights, [-1, 1]), ids), ids.shape);
}

/** (a·V + b) mod buckets, the same int arithmetic the ONNX head uses (a·V + b < 2³¹ for V ≤ 46k). */
export function bigramBucket(a: tf.Tensor, b: tf.Tensor, config: HybridHeadConfig): tf.Tensor {
  return tf.mod(tf.add(tf.mul(a, tf.scalar(config.vocabSize, 'int32')), b), tf.scalar(config.bigramBuckets, 'int32'));
}
