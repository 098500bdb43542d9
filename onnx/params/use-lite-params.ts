// USE-lite parameters as plain arrays: checkpoint reader, TF.js module and exporter hand-off (in onnx/, so onnx never imports training).

/** A dense float32 tensor in row-major order. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

/**
 * One KonaTransformer layer (pre-LayerNorm). Kernels are stored [in, out] (x · kernel), as TF does.
 * Layer 0 widens 256 → 512: its attention output projection is [256, 512] and its residual path
 * goes through `residualKernel`/`residualBias` (AdjustResidualInput); layer 1 has no residual projection.
 */
export interface UseLiteLayerParams {
  attnLnScale: NamedArray; // [dIn]
  attnLnBias: NamedArray; // [dIn]
  qkvKernel: NamedArray; // [dIn, 3*dIn]
  qkvBias: NamedArray; // [3*dIn]
  outKernel: NamedArray; // [dIn, 512]
  outBias: NamedArray; // [512]
  residualKernel?: NamedArray; // [dIn, 512], layer 0 only
  residualBias?: NamedArray; // [512], layer 0 only
  ffnLnScale: NamedArray; // [512]
  ffnLnBias: NamedArray; // [512]
  ffn1Kernel: NamedArray; // [512, 1536]
  ffn1Bias: NamedArray; // [1536]
  ffn2Kernel: NamedArray; // [1536, 512]
  ffn2Bias: NamedArray; // [512]
}

export interface UseLiteParams {
  tokenEmbedding: NamedArray; // [8002, 256]
  /** Inverse timescales of the sinusoidal timing signal, [128]; a constant, never trained. */
  invTimescales: NamedArray;
  layers: [UseLiteLayerParams, UseLiteLayerParams];
  tanhKernel: NamedArray; // [512, 512]
  tanhBias: NamedArray; // [512]
}

/** Architecture constants read from the original graph; kept beside the params so exporters never guess. */
export interface UseLiteArchitecture {
  vocabSize: number; // 8002
  embeddingDim: number; // 256
  hiddenDim: number; // 512
  ffnDim: number; // 1536
  numHeads: number; // 4
  layerNormEpsilon: number; // 1e-6
  /** The original graph drops tokens at positions >= this; our port takes any length up to the tokenizer's truncation. */
  originalMaxLength: number; // 128
  outputDim: number; // 512
}

export const USE_LITE_ARCHITECTURE: UseLiteArchitecture = {
  vocabSize: 8002,
  embeddingDim: 256,
  hiddenDim: 512,
  ffnDim: 1536,
  numHeads: 4,
  layerNormEpsilon: 1e-6,
  originalMaxLength: 128,
  outputDim: 512,
};

/** A binary classification head on the 512-d embedding: logit = embedding · weight + bias. */
export interface LinearHeadParams {
  weight: NamedArray; // [512]
  bias: number;
}
