// The BERT forward pass in TF.js on right-padded, masked batches: [CLS]/[SEP] added per row, post-LayerNorm layers, pooling, L2.
import * as tf from '@tensorflow/tfjs';
import { ValidationError } from '../../../src/errors';
import { gatherRows } from '../../backend/gather-rows';
import { plainMatMul, swapLastAxes } from '../../backend/plain-mat-mul';
import type { BertArchitecture, BertLayerParams } from '../../../onnx/params/bert-params';

export type BertLayerTensors = { [K in keyof BertLayerParams]: tf.Tensor };

export interface BertTensors {
  wordEmbeddings: tf.Tensor2D;
  positionEmbeddings: tf.Tensor2D;
  tokenTypeEmbeddings?: tf.Tensor2D;
  embLnScale: tf.Tensor;
  embLnBias: tf.Tensor;
  layers: BertLayerTensors[];
  poolerKernel?: tf.Tensor;
  poolerBias?: tf.Tensor;
}

// exp(-1e9 - max) is exactly 0 in float32: padded keys get no weight, as with HF's finfo.min mask.
const PADDING_BIAS = -1e9;

/**
 * ids: int32 [B, T] WITHOUT special tokens, left-aligned; mask: [B, T], > 0 at tokens.
 * Row b becomes [CLS] ids[b, :len] [SEP] then padding, so [B, T + 2], exactly what a BERT tokenizer's
 * post-processor would have produced. Doing it here means every engine window is a well-formed sequence.
 */
export function withSpecialTokens(
  ids: tf.Tensor2D,
  mask: tf.Tensor2D,
  clsId: number,
  sepId: number,
): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
  return tf.tidy(() => {
    const m = tf.cast(tf.greater(mask, 0), 'int32');
    const column = tf.slice(m, [0, 0], [-1, 1]);
    const ones = tf.onesLike(column);
    const zeros = tf.zerosLike(column);
    const kept = tf.concat([ones, m, zeros], 1);
    // [SEP] sits on the first padding slot after the tokens: kept there is 0, the slot before it is 1.
    const before = tf.concat([zeros, ones, m], 1);
    // Integer scalars throughout: a plain number would promote the ids to float32.
    const int = (v: number) => tf.scalar(v, 'int32');
    const isSep = tf.mul(before, tf.sub(int(1), kept));
    const body = tf.concat([tf.mul(ones, int(clsId)), tf.mul(tf.cast(ids, 'int32'), m), zeros], 1);
    return {
      ids: tf.add<tf.Tensor2D>(tf.mul(body, kept), tf.mul(isSep, int(sepId))),
      mask: tf.add<tf.Tensor2D>(kept, isSep),
    };
  });
}

/** Returns the L2-normalised [B, H] sentence embedding. Padding never changes the outputs of real rows. */
export function bertForward(w: BertTensors, arch: BertArchitecture, ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const full = withSpecialTokens(ids, mask, arch.clsId, arch.sepId);
    const [b, t] = full.ids.shape;
    if (t > arch.maxPositions) {
      throw new ValidationError(
        `${t - 2} tokens per row exceed this BERT's limit of ${arch.maxPositions - 2} (max_position_embeddings ${arch.maxPositions} less [CLS] and [SEP])`,
        { field: 'maxTokens' },
      );
    }
    const maskF = tf.cast(full.mask, 'float32');
    let x = tf.add(gatherRows(w.wordEmbeddings, full.ids), tf.slice(w.positionEmbeddings, [0, 0], [t, -1]));
    // One-segment inputs: token type 0 everywhere, i.e. row 0 of the table added to every position.
    if (w.tokenTypeEmbeddings) x = tf.add(x, tf.slice(w.tokenTypeEmbeddings, [0, 0], [1, -1]));
    x = layerNorm(x, w.embLnScale, w.embLnBias, arch.layerNormEps);
    const bias = tf.reshape(tf.mul(tf.sub(1, maskF), PADDING_BIAS), [b, 1, 1, t]);
    for (const layer of w.layers) x = encoderLayer(x, layer, bias, arch);
    const pooled = pool(x, maskF, w, arch);
    const norm = tf.rsqrt(tf.maximum(tf.sum(tf.square(pooled), 1, true), 1e-12));
    return tf.mul<tf.Tensor2D>(pooled, norm);
  });
}

function pool(x: tf.Tensor, maskF: tf.Tensor, w: BertTensors, arch: BertArchitecture): tf.Tensor {
  const [b, , h] = x.shape;
  if (arch.pooling === 'mean') {
    // Over every real position, [CLS] and [SEP] included, as sentence-transformers' mean pooling does.
    const length = tf.maximum(tf.sum(maskF, 1, true), 1);
    return tf.div(tf.sum(tf.mul(x, tf.expandDims(maskF, 2)), 1), length);
  }
  const cls = tf.reshape(tf.slice(x, [0, 0, 0], [-1, 1, -1]), [b, h]);
  if (arch.pooling === 'cls') return cls;
  return tf.tanh(plainMatMul(cls, w.poolerKernel as tf.Tensor, w.poolerBias));
}

/** Post-LayerNorm block: LN(x + attention(x)), then LN(· + FFN(·)). */
function encoderLayer(x: tf.Tensor, p: BertLayerTensors, bias: tf.Tensor, arch: BertArchitecture): tf.Tensor {
  const [b, t, h] = x.shape;
  const heads = arch.numHeads;
  const depth = h / heads;
  const splitHeads = (z: tf.Tensor) => tf.transpose(tf.reshape(z, [b, t, heads, depth]), [0, 2, 1, 3]);
  const q = splitHeads(dense(x, p.queryKernel, p.queryBias));
  const k = splitHeads(dense(x, p.keyKernel, p.keyBias));
  const v = splitHeads(dense(x, p.valueKernel, p.valueBias));
  const scores = tf.add(tf.mul(plainMatMul(q, swapLastAxes(k)), 1 / Math.sqrt(depth)), bias);
  const context = tf.reshape(tf.transpose(plainMatMul(tf.softmax(scores), v), [0, 2, 1, 3]), [b, t, h]);
  const y = layerNorm(
    tf.add(dense(context, p.attnOutKernel, p.attnOutBias), x),
    p.attnLnScale,
    p.attnLnBias,
    arch.layerNormEps,
  );
  const hidden = activate(dense(y, p.ffn1Kernel, p.ffn1Bias), arch.activation);
  return layerNorm(tf.add(dense(hidden, p.ffn2Kernel, p.ffn2Bias), y), p.outLnScale, p.outLnBias, arch.layerNormEps);
}

/** Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)), as BERT's "gelu" (not the tanh approximation). */
function activate(x: tf.Tensor, activation: BertArchitecture['activation']): tf.Tensor {
  if (activation === 'relu') return tf.relu(x);
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

function layerNorm(x: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor, eps: number): tf.Tensor {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(scale, tf.rsqrt(tf.add(variance, eps))), centred), shift);
}

/** x · kernel + bias on the last axis of a [B, T, in] tensor, as one 2-D matmul. */
function dense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const [inDim, outDim] = kernel.shape;
  return tf.reshape(plainMatMul(tf.reshape(x, [-1, inDim]), kernel, bias), [...x.shape.slice(0, -1), outDim]);
}
