// The USE-lite (KonaTransformer) forward pass on dense, left-aligned, masked batches, op for op as the original graph.
import * as tf from '@tensorflow/tfjs';
import { gatherRows } from '../../backend/gather-rows';
import { plainMatMul, swapLastAxes } from '../../backend/plain-mat-mul';
import { USE_LITE_ARCHITECTURE } from '../../../onnx/params/use-lite-params';
import type { UseLiteArchitecture, UseLiteLayerParams } from '../../../onnx/params/use-lite-params';

export type UseLiteLayerTensors = { [K in keyof UseLiteLayerParams]: tf.Tensor };

export interface UseLiteTensors {
  tokenEmbedding: tf.Tensor2D;
  invTimescales: tf.Tensor1D;
  layers: UseLiteLayerTensors[];
  tanhKernel: tf.Tensor;
  tanhBias: tf.Tensor;
}

// The graph's padding bias; exp(-1e9 - max) is exactly 0 in float32, so padded keys get no weight at all.
const PADDING_BIAS = -1e9;

/**
 * ids: int32 [B, T]; attentionMask: [B, T], > 0 at tokens. Returns the L2-normalised [B, 512] embedding.
 * Padded positions never influence valid ones (keys masked, everything else position-wise, masked pooling),
 * so the result does not depend on how far a row is padded.
 */
export function useLiteForward(
  w: UseLiteTensors,
  ids: tf.Tensor2D,
  attentionMask: tf.Tensor2D,
  arch: UseLiteArchitecture = USE_LITE_ARCHITECTURE,
): tf.Tensor2D {
  return tf.tidy(() => useLiteFromStates(w, useLiteStates(w, ids, attentionMask, 0, arch), attentionMask, 0, arch));
}

/**
 * The hidden states [B, T, d] after the first `layers` transformer layers (0: the embedded input). Valid positions do
 * not depend on padding, so a trainer that keeps those layers fixed can compute them once per text and cache them.
 */
export function useLiteStates(
  w: UseLiteTensors,
  ids: tf.Tensor2D,
  attentionMask: tf.Tensor2D,
  layers: number,
  arch: UseLiteArchitecture = USE_LITE_ARCHITECTURE,
): tf.Tensor3D {
  return tf.tidy(() => {
    const t = ids.shape[1];
    const mask = tf.cast(tf.greater(attentionMask, 0), 'float32');
    // Whatever id a padded slot holds, look up row 0 there: it is masked out below anyway.
    const safeIds = tf.mul(tf.cast(ids, 'int32'), tf.cast(mask, 'int32'));
    const emb = gatherRows(w.tokenEmbedding, safeIds);
    // The graph scatters the embeddings once alone and once with the timing signal and adds both:
    // the layer input is 2·emb + signal. Mirrored as emb + (emb + signal) for identical rounding.
    const x = tf.mul(tf.add(emb, tf.add(emb, timingSignal(w.invTimescales, t))), tf.expandDims(mask, 2));
    return runLayers(w, x, mask, 0, layers, arch) as tf.Tensor3D;
  });
}

/** The rest of the forward pass from the states after layer `fromLayer` (useLiteStates): the upper layers, pooling, tanh, L2. */
export function useLiteFromStates(
  w: UseLiteTensors,
  states: tf.Tensor3D,
  attentionMask: tf.Tensor2D,
  fromLayer: number,
  arch: UseLiteArchitecture = USE_LITE_ARCHITECTURE,
): tf.Tensor2D {
  return tf.tidy(() => {
    const mask = tf.cast(tf.greater(attentionMask, 0), 'float32');
    const mask3 = tf.expandDims(mask, 2);
    const x = runLayers(w, states, mask, fromLayer, w.layers.length, arch);
    const length = tf.maximum(tf.sum(mask, 1, true), 1);
    const pooled = tf.div(tf.sum(tf.mul(x, mask3), 1), length);
    const hidden = tf.tanh(plainMatMul(pooled, w.tanhKernel, w.tanhBias));
    const norm = tf.rsqrt(tf.maximum(tf.sum(tf.square(hidden), 1, true), 1e-12));
    return tf.mul<tf.Tensor2D>(hidden, norm);
  });
}

/** Layers [from, to) on x, with padded keys masked out. */
function runLayers(
  w: UseLiteTensors,
  input: tf.Tensor,
  mask: tf.Tensor,
  from: number,
  to: number,
  arch: UseLiteArchitecture,
): tf.Tensor {
  const [b, t] = mask.shape;
  const bias = tf.reshape(tf.mul(tf.sub(1, mask), PADDING_BIAS), [b, 1, 1, t]);
  let x = input;
  for (const layer of w.layers.slice(from, to)) x = transformerLayer(x, layer, bias, arch);
  return x;
}

/**
 * Tensor2Tensor's sinusoid for positions 0..T-1: [sin(p·τ), cos(p·τ)] with the stored inverse timescales τ.
 * Positions are simply indices, so lengths past the original 128 extend it naturally.
 */
export function timingSignal(invTimescales: tf.Tensor1D, length: number): tf.Tensor2D {
  return tf.tidy(() => {
    const scaled = tf.mul(
      tf.reshape(tf.range(0, length, 1, 'float32'), [length, 1]),
      tf.reshape(invTimescales, [1, -1]),
    );
    return tf.concat([tf.sin(scaled), tf.cos(scaled)], 1) as tf.Tensor2D;
  });
}

/** Pre-LayerNorm block: x + attention(LN(x)) (x widened by a dense layer where needed), then + FFN(LN(·)). */
function transformerLayer(x: tf.Tensor, p: UseLiteLayerTensors, bias: tf.Tensor, arch: UseLiteArchitecture): tf.Tensor {
  const [b, t, d] = x.shape;
  const heads = arch.numHeads;
  const depth = d / heads;
  const eps = arch.layerNormEpsilon;
  const splitHeads = (z: tf.Tensor) => tf.transpose(tf.reshape(z, [b, t, heads, depth]), [0, 2, 1, 3]);
  const qkv = dense(layerNorm(x, p.attnLnScale, p.attnLnBias, eps), p.qkvKernel, p.qkvBias);
  const [q, k, v] = tf.split(qkv, 3, 2).map(splitHeads);
  const scores = tf.add(plainMatMul(tf.mul(q, Math.pow(depth, -0.5)), swapLastAxes(k)), bias);
  const context = tf.reshape(tf.transpose(plainMatMul(tf.softmax(scores), v), [0, 2, 1, 3]), [b, t, d]);
  const residual = p.residualKernel && p.residualBias ? dense(x, p.residualKernel, p.residualBias) : x;
  const y = tf.add(dense(context, p.outKernel, p.outBias), residual);
  const hidden = dense(layerNorm(y, p.ffnLnScale, p.ffnLnBias, eps), p.ffn1Kernel, p.ffn1Bias, 'relu');
  return tf.add(dense(hidden, p.ffn2Kernel, p.ffn2Bias), y);
}

/** Mean and variance over the last axis, variance from the centred values, as the graph does. */
function layerNorm(x: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor, eps: number): tf.Tensor {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(scale, tf.rsqrt(tf.add(variance, eps))), centred), shift);
}

/** x · kernel + bias on the last axis of a [B, T, in] tensor, as one 2-D matmul. */
function dense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, activation?: 'relu'): tf.Tensor {
  const [inDim, outDim] = kernel.shape;
  const y = plainMatMul(tf.reshape(x, [-1, inDim]), kernel, bias);
  return tf.reshape(activation === 'relu' ? tf.relu(y) : y, [...x.shape.slice(0, -1), outDim]);
}
