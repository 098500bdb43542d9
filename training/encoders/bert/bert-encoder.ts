// A BERT-family encoder as trainable TF.js variables: built from and exported to the plain BertParams contract.
import * as tf from '@tensorflow/tfjs';
import { ValidationError } from '../../../src/errors';
import { silentLogger, type Logger } from '../../../src/logging/index';
import type { FreezeOptions, TrainableEncoder } from '../trainable-encoder';
import { bertForward, type BertLayerTensors, type BertTensors } from './bert-forward';
import {
  BERT_LAYER_KEYS,
  bertParamAt,
  bertParamShapes,
  type BertArchitecture,
  type BertLayerParams,
  type BertParams,
  type NamedArray,
} from '../../../onnx/params/bert-params';
import { validateBertParams } from '../../../onnx/params/validate-bert-params';

export interface BertEncoderOptions {
  logger?: Logger;
  /** Prefix of the variable names ('bert' by default; suffixed _2, _3… if another encoder holds it). */
  namePrefix?: string;
}

const EMBEDDING_PATHS = ['wordEmbeddings', 'positionEmbeddings', 'tokenTypeEmbeddings'];

export class BertEncoder implements TrainableEncoder {
  readonly family = 'bert';
  readonly outputDim: number;

  private constructor(
    readonly arch: BertArchitecture,
    private readonly vars: Map<string, tf.Variable>,
    private readonly tensors: BertTensors,
  ) {
    this.outputDim = arch.hiddenSize;
  }

  static fromParams(params: BertParams, opts: BertEncoderOptions = {}): BertEncoder {
    validateBertParams(params);
    const prefix = freePrefix(opts.namePrefix ?? 'bert');
    const shapes = bertParamShapes(params.arch, {
      tokenTypes: params.tokenTypeEmbeddings !== undefined,
      pooler: params.arch.pooling === 'pooler',
    });
    const vars = new Map<string, tf.Variable>();
    for (const path of shapes.keys()) {
      const a = bertParamAt(params, path) as NamedArray;
      // Copy: the cpu backend would otherwise alias the caller's array.
      const init = tf.tensor(a.data.slice(), a.shape, 'float32');
      vars.set(path, tf.variable(init, true, `${prefix}/${path}`));
      init.dispose();
    }
    const v = (path: string) => vars.get(path) as tf.Variable;
    const layers = params.layers.map(
      (_, i) =>
        Object.fromEntries(BERT_LAYER_KEYS.map((k) => [k, v(`layers.${i}.${k}`)])) as unknown as BertLayerTensors,
    );
    const tensors: BertTensors = {
      wordEmbeddings: v('wordEmbeddings') as tf.Variable<tf.Rank.R2>,
      positionEmbeddings: v('positionEmbeddings') as tf.Variable<tf.Rank.R2>,
      tokenTypeEmbeddings: vars.get('tokenTypeEmbeddings') as tf.Variable<tf.Rank.R2> | undefined,
      embLnScale: v('embLnScale'),
      embLnBias: v('embLnBias'),
      layers,
      poolerKernel: vars.get('poolerKernel'),
      poolerBias: vars.get('poolerBias'),
    };
    const count = [...vars.values()].reduce((n, x) => n + x.size, 0);
    (opts.logger ?? silentLogger()).debug({ prefix, variables: vars.size, parameters: count }, 'BERT encoder built');
    return new BertEncoder(params.arch, vars, tensors);
  }

  apply(inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D): tf.Tensor2D {
    if (inputIds.rank !== 2 || attentionMask.shape.join() !== inputIds.shape.join()) {
      throw new ValidationError(
        `inputIds [${inputIds.shape.join()}] and attentionMask [${attentionMask.shape.join()}] must both be [B, T]`,
      );
    }
    return bertForward(this.tensors, this.arch, inputIds, attentionMask);
  }

  /** freezeEmbeddings keeps the word, position and token-type tables (and their LayerNorm) fixed; freezeLowerLayer, layer 0. */
  trainableVariables(opts: FreezeOptions = {}): tf.Variable[] {
    return [...this.vars]
      .filter(([path]) => !(opts.freezeEmbeddings && (EMBEDDING_PATHS.includes(path) || path.startsWith('embLn'))))
      .filter(([path]) => !(opts.freezeLowerLayer && path.startsWith('layers.0.')))
      .map(([, variable]) => variable);
  }

  namedVariables(): ReadonlyMap<string, tf.Variable> {
    return this.vars;
  }

  async toParams(): Promise<BertParams> {
    const read = async (path: string): Promise<NamedArray> => {
      const variable = this.vars.get(path) as tf.Variable;
      return { shape: [...variable.shape], data: ((await variable.data()) as Float32Array).slice() };
    };
    const optional = async (path: string) => (this.vars.has(path) ? read(path) : undefined);
    const layers: BertLayerParams[] = [];
    for (let i = 0; i < this.arch.numLayers; i++) {
      const entries = await Promise.all(BERT_LAYER_KEYS.map(async (k) => [k, await read(`layers.${i}.${k}`)] as const));
      layers.push(Object.fromEntries(entries) as unknown as BertLayerParams);
    }
    return {
      arch: { ...this.arch },
      wordEmbeddings: await read('wordEmbeddings'),
      positionEmbeddings: await read('positionEmbeddings'),
      tokenTypeEmbeddings: await optional('tokenTypeEmbeddings'),
      embLnScale: await read('embLnScale'),
      embLnBias: await read('embLnBias'),
      layers,
      poolerKernel: await optional('poolerKernel'),
      poolerBias: await optional('poolerBias'),
    };
  }

  dispose(): void {
    for (const variable of this.vars.values()) variable.dispose();
  }
}

/** TF.js refuses two variables of one name; a second encoder in the process gets a numbered prefix. */
function freePrefix(base: string): string {
  const taken = (p: string) => Object.keys(tf.engine().registeredVariables).some((n) => n.startsWith(`${p}/`));
  let prefix = base;
  for (let i = 2; taken(prefix); i++) prefix = `${base}_${i}`;
  return prefix;
}
