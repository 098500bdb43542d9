// Hugging Face tensor names ↔ BertParams paths, for BertModel and DistilBertModel layouts, with or without a task-model prefix ("bert.").
import { ModelLoadError } from '../../../src/errors';
import {
  BERT_LAYER_KEYS,
  bertParamShapes,
  type BertArchitecture,
  type BertLayerParams,
  type BertParams,
  type NamedArray,
} from '../../../onnx/params/bert-params';
import type { TensorMap } from './safetensors';

interface HfName {
  name: string;
  /** nn.Linear stores [out, in]; our kernels are [in, out]. */
  transpose: boolean;
}

type LayerKey = (typeof BERT_LAYER_KEYS)[number];

const BERT_LAYER: Record<LayerKey, string> = {
  queryKernel: 'attention.self.query.weight',
  queryBias: 'attention.self.query.bias',
  keyKernel: 'attention.self.key.weight',
  keyBias: 'attention.self.key.bias',
  valueKernel: 'attention.self.value.weight',
  valueBias: 'attention.self.value.bias',
  attnOutKernel: 'attention.output.dense.weight',
  attnOutBias: 'attention.output.dense.bias',
  attnLnScale: 'attention.output.LayerNorm.weight',
  attnLnBias: 'attention.output.LayerNorm.bias',
  ffn1Kernel: 'intermediate.dense.weight',
  ffn1Bias: 'intermediate.dense.bias',
  ffn2Kernel: 'output.dense.weight',
  ffn2Bias: 'output.dense.bias',
  outLnScale: 'output.LayerNorm.weight',
  outLnBias: 'output.LayerNorm.bias',
};

const DISTILBERT_LAYER: Record<LayerKey, string> = {
  queryKernel: 'attention.q_lin.weight',
  queryBias: 'attention.q_lin.bias',
  keyKernel: 'attention.k_lin.weight',
  keyBias: 'attention.k_lin.bias',
  valueKernel: 'attention.v_lin.weight',
  valueBias: 'attention.v_lin.bias',
  attnOutKernel: 'attention.out_lin.weight',
  attnOutBias: 'attention.out_lin.bias',
  attnLnScale: 'sa_layer_norm.weight',
  attnLnBias: 'sa_layer_norm.bias',
  ffn1Kernel: 'ffn.lin1.weight',
  ffn1Bias: 'ffn.lin1.bias',
  ffn2Kernel: 'ffn.lin2.weight',
  ffn2Bias: 'ffn.lin2.bias',
  outLnScale: 'output_layer_norm.weight',
  outLnBias: 'output_layer_norm.bias',
};

const ANCHOR = 'embeddings.word_embeddings.weight';

/** Our parameter path → its Hugging Face name (without prefix). */
export function hfWeightNames(
  arch: BertArchitecture,
  has: { tokenTypes: boolean; pooler: boolean },
): Map<string, HfName> {
  const names = new Map<string, HfName>();
  const distil = arch.modelType === 'distilbert';
  for (const path of bertParamShapes(arch, has).keys()) {
    const [head, index, key] = path.split('.');
    let name: string;
    if (head === 'layers')
      name = `${distil ? 'transformer' : 'encoder'}.layer.${index}.${(distil ? DISTILBERT_LAYER : BERT_LAYER)[key as LayerKey]}`;
    else {
      name = {
        wordEmbeddings: ANCHOR,
        positionEmbeddings: 'embeddings.position_embeddings.weight',
        tokenTypeEmbeddings: 'embeddings.token_type_embeddings.weight',
        embLnScale: 'embeddings.LayerNorm.weight',
        embLnBias: 'embeddings.LayerNorm.bias',
        poolerKernel: 'pooler.dense.weight',
        poolerBias: 'pooler.dense.bias',
      }[head] as string;
    }
    names.set(path, { name, transpose: path.endsWith('Kernel') });
  }
  return names;
}

/** The prefix before `embeddings.word_embeddings.weight` ('' for BertModel, 'bert.' for BertFor…, 'distilbert.' …). */
export function findPrefix(tensors: TensorMap, file: string): string {
  const hits = [...tensors.keys(), ...(tensors.others?.keys() ?? [])].filter(
    (n) => n === ANCHOR || n.endsWith(`.${ANCHOR}`),
  );
  if (hits.length === 0) {
    const sample = [...tensors.keys()].slice(0, 6).join(', ');
    throw new ModelLoadError(
      `${file} has no ${ANCHOR} (with or without a prefix such as "bert."), so it is not a BERT-family checkpoint; it holds e.g. ${sample || 'no float tensors'}`,
      { file, field: ANCHOR },
    );
  }
  return hits.sort((a, b) => a.length - b.length)[0].slice(0, -ANCHOR.length);
}

/** Picks and reshapes a checkpoint's tensors into BertParams; each missing or mis-shaped tensor is named. */
export function bertParamsFromTensors(tensors: TensorMap, arch: BertArchitecture, file: string): BertParams {
  const prefix = findPrefix(tensors, file);
  const present = (name: string) =>
    tensors.has(prefix + name) || tensors.has(prefix + name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma'));
  const has = {
    tokenTypes: arch.typeVocabSize > 0,
    pooler: present('pooler.dense.weight') && present('pooler.dense.bias'),
  };
  const shapes = bertParamShapes(arch, has);
  const out = new Map<string, NamedArray>();
  for (const [path, { name, transpose }] of hfWeightNames(arch, has)) {
    const full = prefix + name;
    // TF-converted checkpoints spell LayerNorm's parameters gamma/beta.
    const legacy = full.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta');
    const t = tensors.get(full) ?? tensors.get(legacy);
    if (!t) {
      const other = tensors.others?.get(full);
      const why = other ? `is ${other}, expected a float dtype` : 'is missing';
      throw new ModelLoadError(
        `${file}: tensor ${full} ${why} (config.json says ${arch.numLayers} layers of width ${arch.hiddenSize})`,
        { file, field: full },
      );
    }
    const want = shapes.get(path) as number[];
    const stored = transpose ? [want[1], want[0]] : want;
    if (t.shape.join() !== stored.join()) {
      throw new ModelLoadError(
        `${file}: tensor ${full} has shape [${t.shape.join(', ')}], config.json implies [${stored.join(', ')}]`,
        { file, field: full },
      );
    }
    out.set(path, transpose ? transposed(t.data, stored[0], stored[1]) : { shape: want, data: t.data });
  }
  return assemble(arch, out);
}

/** The inverse: BertParams as Hugging Face tensors (Linear weights back to [out, in]), under an optional prefix. */
export function bertParamsToTensors(params: BertParams, prefix = ''): Map<string, NamedArray> {
  const has = { tokenTypes: params.tokenTypeEmbeddings !== undefined, pooler: params.poolerKernel !== undefined };
  const out = new Map<string, NamedArray>();
  for (const [path, { name, transpose }] of hfWeightNames(params.arch, has)) {
    const [head, index, key] = path.split('.');
    const t =
      head === 'layers' ? params.layers[Number(index)][key as keyof BertLayerParams] : params[head as 'wordEmbeddings'];
    out.set(prefix + name, transpose ? transposed(t.data, t.shape[0], t.shape[1]) : t);
  }
  return out;
}

function transposed(data: Float32Array, rows: number, cols: number): NamedArray {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return { shape: [cols, rows], data: out };
}

function assemble(arch: BertArchitecture, byPath: Map<string, NamedArray>): BertParams {
  const get = (path: string) => byPath.get(path) as NamedArray;
  const layers = Array.from(
    { length: arch.numLayers },
    (_, i) =>
      Object.fromEntries(BERT_LAYER_KEYS.map((k) => [k, get(`layers.${i}.${k}`)])) as unknown as BertLayerParams,
  );
  return {
    arch,
    wordEmbeddings: get('wordEmbeddings'),
    positionEmbeddings: get('positionEmbeddings'),
    tokenTypeEmbeddings: byPath.get('tokenTypeEmbeddings'),
    embLnScale: get('embLnScale'),
    embLnBias: get('embLnBias'),
    layers,
    poolerKernel: byPath.get('poolerKernel'),
    poolerBias: byPath.get('poolerBias'),
  };
}
