// BERT-family parameters as plain arrays: checkpoint reader, TF.js module and exporter hand-off (in onnx/, so onnx never imports training).
import type { NamedArray } from './use-lite-params';

export type { NamedArray };

/** How the [B, T, H] hidden states become one sentence vector (always L2-normalised afterwards). */
export type BertPooling = 'mean' | 'cls' | 'pooler';
export const BERT_POOLINGS: readonly BertPooling[] = ['mean', 'cls', 'pooler'];

/** Feed-forward activations we implement identically in TF.js and ONNX. 'gelu' is the exact (erf) form. */
export type BertActivation = 'gelu' | 'relu';
export const BERT_ACTIVATIONS: readonly BertActivation[] = ['gelu', 'relu'];

/** What a checkpoint's config.json says, normalised over the bert and distilbert spellings. */
export interface BertArchitecture {
  modelType: 'bert' | 'distilbert';
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  /** Rows of the token-type table; 0 for DistilBERT, which has none. */
  typeVocabSize: number;
  layerNormEps: number;
  activation: BertActivation;
  /** Added around every window inside the encoder (not by the tokenizer), so each window is a well-formed sequence. */
  clsId: number;
  sepId: number;
  pooling: BertPooling;
}

/** One post-LayerNorm encoder layer. Kernels are [in, out] (x · kernel): Hugging Face's [out, in] transposed on load. */
export interface BertLayerParams {
  queryKernel: NamedArray; // [H, H]
  queryBias: NamedArray; // [H]
  keyKernel: NamedArray;
  keyBias: NamedArray;
  valueKernel: NamedArray;
  valueBias: NamedArray;
  attnOutKernel: NamedArray; // [H, H]
  attnOutBias: NamedArray;
  attnLnScale: NamedArray; // [H]
  attnLnBias: NamedArray;
  ffn1Kernel: NamedArray; // [H, I]
  ffn1Bias: NamedArray; // [I]
  ffn2Kernel: NamedArray; // [I, H]
  ffn2Bias: NamedArray; // [H]
  outLnScale: NamedArray; // [H]
  outLnBias: NamedArray;
}

export const BERT_LAYER_KEYS = [
  'queryKernel',
  'queryBias',
  'keyKernel',
  'keyBias',
  'valueKernel',
  'valueBias',
  'attnOutKernel',
  'attnOutBias',
  'attnLnScale',
  'attnLnBias',
  'ffn1Kernel',
  'ffn1Bias',
  'ffn2Kernel',
  'ffn2Bias',
  'outLnScale',
  'outLnBias',
] as const satisfies readonly (keyof BertLayerParams)[];

export interface BertParams {
  arch: BertArchitecture;
  wordEmbeddings: NamedArray; // [V, H]
  positionEmbeddings: NamedArray; // [P, H]
  /** [typeVocabSize, H]; only row 0 is used (one-segment inputs). Absent for DistilBERT. */
  tokenTypeEmbeddings?: NamedArray;
  embLnScale: NamedArray; // [H]
  embLnBias: NamedArray;
  layers: BertLayerParams[];
  /** The pooler's dense layer [H, H] (tanh); required for pooling 'pooler'. */
  poolerKernel?: NamedArray;
  poolerBias?: NamedArray;
}

/** Tokens one window may hold: the position table less the [CLS] and [SEP] the encoder adds. */
export function bertTokenLimit(arch: BertArchitecture): number {
  return arch.maxPositions - 2;
}

/** Every parameter by path ('layers.3.ffn1Kernel'), with the shape it must have. */
export function bertParamShapes(
  arch: BertArchitecture,
  has: { tokenTypes: boolean; pooler: boolean },
): Map<string, number[]> {
  const { vocabSize: v, hiddenSize: h, intermediateSize: i, maxPositions: p } = arch;
  const shapes = new Map<string, number[]>([
    ['wordEmbeddings', [v, h]],
    ['positionEmbeddings', [p, h]],
  ]);
  if (has.tokenTypes) shapes.set('tokenTypeEmbeddings', [arch.typeVocabSize, h]);
  shapes.set('embLnScale', [h]).set('embLnBias', [h]);
  const layer: Record<(typeof BERT_LAYER_KEYS)[number], number[]> = {
    queryKernel: [h, h],
    queryBias: [h],
    keyKernel: [h, h],
    keyBias: [h],
    valueKernel: [h, h],
    valueBias: [h],
    attnOutKernel: [h, h],
    attnOutBias: [h],
    attnLnScale: [h],
    attnLnBias: [h],
    ffn1Kernel: [h, i],
    ffn1Bias: [i],
    ffn2Kernel: [i, h],
    ffn2Bias: [h],
    outLnScale: [h],
    outLnBias: [h],
  };
  for (let n = 0; n < arch.numLayers; n++)
    for (const key of BERT_LAYER_KEYS) shapes.set(`layers.${n}.${key}`, layer[key]);
  if (has.pooler) shapes.set('poolerKernel', [h, h]).set('poolerBias', [h]);
  return shapes;
}

export function bertParamAt(params: BertParams, path: string): NamedArray | undefined {
  const [head, index, key] = path.split('.');
  if (head === 'layers') return params.layers[Number(index)]?.[key as keyof BertLayerParams];
  return params[head as Exclude<keyof BertParams, 'arch' | 'layers'>];
}
