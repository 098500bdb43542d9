// A randomly initialised BERT (BERT's own N(0, 0.02) init, seeded): for tests and benchmarks where no real weights are reachable.
import { rng } from '../../../src/sampling';
import {
  bertParamShapes,
  type BertArchitecture,
  type BertLayerParams,
  type BertParams,
  type NamedArray,
} from '../../../onnx/params/bert-params';

export interface RandomBertOptions {
  arch: BertArchitecture;
  seed?: number;
  /** Standard deviation of the weights (0.02 as in BERT); LayerNorm scales are 1 ± this, biases ± this. */
  std?: number;
  /** Include the pooler's dense layer (as BertModel checkpoints do). */
  pooler?: boolean;
}

export function randomBertParams(opts: RandomBertOptions): BertParams {
  const random = rng(opts.seed ?? 1);
  const std = opts.std ?? 0.02;
  // Box–Muller from the seeded uniform source.
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const arch = { ...opts.arch };
  const shapes = bertParamShapes(arch, { tokenTypes: arch.typeVocabSize > 0, pooler: opts.pooler ?? true });
  const make = (path: string): NamedArray => {
    const shape = shapes.get(path) as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    const centre = /LnScale$/.test(path) ? 1 : 0;
    return { shape, data: Float32Array.from({ length: n }, () => centre + normal() * std) };
  };
  const layers: BertLayerParams[] = [];
  for (let i = 0; i < arch.numLayers; i++) {
    const entries = [...shapes.keys()]
      .filter((p) => p.startsWith(`layers.${i}.`))
      .map((p) => [p.split('.')[2], make(p)]);
    layers.push(Object.fromEntries(entries) as BertLayerParams);
  }
  return {
    arch,
    wordEmbeddings: make('wordEmbeddings'),
    positionEmbeddings: make('positionEmbeddings'),
    tokenTypeEmbeddings: shapes.has('tokenTypeEmbeddings') ? make('tokenTypeEmbeddings') : undefined,
    embLnScale: make('embLnScale'),
    embLnBias: make('embLnBias'),
    layers,
    poolerKernel: shapes.has('poolerKernel') ? make('poolerKernel') : undefined,
    poolerBias: shapes.has('poolerBias') ? make('poolerBias') : undefined,
  };
}
