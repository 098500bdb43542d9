// USE-lite as trainable TF.js variables: built from and exported to the plain UseLiteParams contract.
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError, ValidationError } from '../../../src/errors';
import { silentLogger } from '../../../src/logging/index';
import type { Logger } from '../../../src/logging/index';
import type { FreezeOptions, FrozenSplit, TrainableEncoder } from '../trainable-encoder';
import { USE_LITE_ARCHITECTURE as ARCH } from '../../../onnx/params/use-lite-params';
import type { NamedArray, UseLiteLayerParams, UseLiteParams } from '../../../onnx/params/use-lite-params';
import { useLiteForward, useLiteFromStates, useLiteStates } from './use-lite-forward';
import type { UseLiteLayerTensors, UseLiteTensors } from './use-lite-forward';

export interface UseLiteEncoderOptions {
  logger?: Logger;
  /** Prefix of the variable names ('use_lite' by default; suffixed _2, _3… if another encoder holds it). */
  namePrefix?: string;
}

const LAYER_KEYS = [
  'attnLnScale',
  'attnLnBias',
  'qkvKernel',
  'qkvBias',
  'outKernel',
  'outBias',
  'residualKernel',
  'residualBias',
  'ffnLnScale',
  'ffnLnBias',
  'ffn1Kernel',
  'ffn1Bias',
  'ffn2Kernel',
  'ffn2Bias',
] as const satisfies readonly (keyof UseLiteLayerParams)[];

/** Every trainable parameter by its path in UseLiteParams ('layers.0.qkvKernel'), with the shape it must have. */
function expectedShapes(): Map<string, number[]> {
  const { vocabSize, embeddingDim: e, hiddenDim: h, ffnDim: f } = ARCH;
  const shapes = new Map<string, number[]>([['tokenEmbedding', [vocabSize, e]]]);
  [e, h].forEach((d, i) => {
    const layer: Record<string, number[]> = {
      attnLnScale: [d],
      attnLnBias: [d],
      qkvKernel: [d, 3 * d],
      qkvBias: [3 * d],
      outKernel: [d, h],
      outBias: [h],
      ffnLnScale: [h],
      ffnLnBias: [h],
      ffn1Kernel: [h, f],
      ffn1Bias: [f],
      ffn2Kernel: [f, h],
      ffn2Bias: [h],
    };
    // Only a layer that widens its input needs the residual projection.
    if (d !== h) Object.assign(layer, { residualKernel: [d, h], residualBias: [h] });
    for (const key of LAYER_KEYS) if (layer[key]) shapes.set(`layers.${i}.${key}`, layer[key]);
  });
  shapes.set('tanhKernel', [h, h]).set('tanhBias', [h]);
  return shapes;
}

function paramAt(params: UseLiteParams, path: string): NamedArray | undefined {
  const [head, index, key] = path.split('.');
  if (head !== 'layers') return params[head as 'tokenEmbedding' | 'tanhKernel' | 'tanhBias'];
  return params.layers[Number(index)]?.[key as keyof UseLiteLayerParams];
}

export class UseLiteEncoder implements TrainableEncoder {
  readonly family = 'use-lite';
  readonly outputDim = ARCH.outputDim;

  private constructor(
    private readonly vars: Map<string, tf.Variable>,
    private readonly invTimescales: tf.Tensor1D,
    private readonly tensors: UseLiteTensors,
  ) {}

  static fromParams(params: UseLiteParams, opts: UseLiteEncoderOptions = {}): UseLiteEncoder {
    const logger = opts.logger ?? silentLogger();
    const prefix = freePrefix(opts.namePrefix ?? 'use_lite');
    const shapes = expectedShapes();
    shapes.set('invTimescales', [ARCH.embeddingDim / 2]);
    for (const [path, shape] of shapes) {
      const a = paramAt(params, path);
      if (!a || a.shape.join() !== shape.join() || a.data.length !== shape.reduce((x, y) => x * y, 1)) {
        throw new ModelLoadError(
          `USE-lite parameter ${path} is ${a ? `[${a.shape.join()}]` : 'missing'}, expected [${shape.join()}]`,
          { field: path },
        );
      }
    }
    shapes.delete('invTimescales');
    const vars = new Map<string, tf.Variable>();
    for (const path of shapes.keys()) {
      const a = paramAt(params, path) as NamedArray;
      // Copy: the cpu backend would otherwise alias the caller's array.
      const init = tf.tensor(a.data.slice(), a.shape, 'float32');
      vars.set(path, tf.variable(init, true, `${prefix}/${path}`));
      init.dispose();
    }
    const invTimescales = tf.tensor1d(params.invTimescales.data.slice(), 'float32');
    const v = (path: string) => vars.get(path) as tf.Variable;
    const layers = [0, 1].map((i) => {
      const layer: Partial<UseLiteLayerTensors> = {};
      for (const key of LAYER_KEYS) if (vars.has(`layers.${i}.${key}`)) layer[key] = v(`layers.${i}.${key}`);
      return layer as UseLiteLayerTensors;
    });
    const tensors: UseLiteTensors = {
      tokenEmbedding: v('tokenEmbedding') as tf.Variable<tf.Rank.R2>,
      invTimescales,
      layers,
      tanhKernel: v('tanhKernel'),
      tanhBias: v('tanhBias'),
    };
    const count = [...vars.values()].reduce((n, x) => n + x.size, 0);
    logger.debug({ prefix, variables: vars.size, parameters: count }, 'USE-lite encoder built');
    return new UseLiteEncoder(vars, invTimescales, tensors);
  }

  apply(inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D): tf.Tensor2D {
    if (inputIds.rank !== 2 || attentionMask.shape.join() !== inputIds.shape.join()) {
      throw new ValidationError(
        `inputIds [${inputIds.shape.join()}] and attentionMask [${attentionMask.shape.join()}] must both be [B, T]`,
      );
    }
    return useLiteForward(this.tensors, inputIds, attentionMask, ARCH);
  }

  /** With the embeddings and the lower layer frozen, the cut lies after layer 0: the states it outputs are fixed. */
  frozenSplit(opts: FreezeOptions = {}): FrozenSplit | undefined {
    if (!opts.freezeEmbeddings || !opts.freezeLowerLayer) return undefined;
    return {
      width: ARCH.hiddenDim,
      lower: (ids, mask) => useLiteStates(this.tensors, ids, mask, 1, ARCH),
      upper: (states, mask) => useLiteFromStates(this.tensors, states, mask, 1, ARCH),
    };
  }

  trainableVariables(opts: FreezeOptions = {}): tf.Variable[] {
    return [...this.vars]
      .filter(([path]) => !(opts.freezeEmbeddings && path === 'tokenEmbedding'))
      .filter(([path]) => !(opts.freezeLowerLayer && path.startsWith('layers.0.')))
      .map(([, variable]) => variable);
  }

  /** Variables by parameter path ('layers.1.ffn1Kernel'); the paths do not depend on the name prefix. */
  namedVariables(): ReadonlyMap<string, tf.Variable> {
    return this.vars;
  }

  async toParams(): Promise<UseLiteParams> {
    const read = async (path: string): Promise<NamedArray> => {
      const variable = this.vars.get(path) as tf.Variable;
      return { shape: [...variable.shape], data: ((await variable.data()) as Float32Array).slice() };
    };
    const layer = async (i: number): Promise<UseLiteLayerParams> => {
      const out: Partial<UseLiteLayerParams> = {};
      for (const key of LAYER_KEYS)
        if (this.vars.has(`layers.${i}.${key}`)) out[key] = await read(`layers.${i}.${key}`);
      return out as UseLiteLayerParams;
    };
    return {
      tokenEmbedding: await read('tokenEmbedding'),
      invTimescales: {
        shape: [...this.invTimescales.shape],
        data: ((await this.invTimescales.data()) as Float32Array).slice(),
      },
      layers: [await layer(0), await layer(1)],
      tanhKernel: await read('tanhKernel'),
      tanhBias: await read('tanhBias'),
    };
  }

  dispose(): void {
    for (const variable of this.vars.values()) variable.dispose();
    this.invTimescales.dispose();
  }
}

/** TF.js refuses two variables of one name; a second encoder in the process gets a numbered prefix. */
function freePrefix(base: string): string {
  const taken = (p: string) => Object.keys(tf.engine().registeredVariables).some((n) => n.startsWith(`${p}/`));
  let prefix = base;
  for (let i = 2; taken(prefix); i++) prefix = `${base}_${i}`;
  return prefix;
}
