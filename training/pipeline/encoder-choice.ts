// Which encoder a training run uses, behind one interface: the bundled USE-lite, or a user's BERT-family Hugging Face folder.
import { buildBertModel, buildUseLiteModel } from '../../onnx';
import { ValidationError } from '../../src/errors';
import type { Logger } from '../../src/logging';
import { buildUseLiteTokenizerJson, readUseLiteVocab } from '../../src/tokenize';
import { BertEncoder, bertTokenLimit, type BertPooling } from '../encoders/bert';
import { readHfCheckpoint, toHfBertConfig } from '../encoders/hf-checkpoint';
import type { TrainableEncoder } from '../encoders/trainable-encoder';
import { readUseLiteCheckpoint, USE_LITE_ARCHITECTURE, UseLiteEncoder } from '../encoders/use-lite';
import type { HybridHeadParams } from '../../onnx/params/hybrid-head-params';

export const DEFAULT_ENCODER = 'use-lite';

export interface PipelineEncoder {
  /** Bundle and card family name: 'use-lite' or 'bert' (DistilBERT included). */
  family: 'use-lite' | 'bert';
  /** Cache key of the pretrained encoder's ONNX export (frozen embeddings); changes with its weights. */
  baseId: string;
  /** tokenizer.json as bundles ship it. */
  tokenizerJson: object;
  vocabSize: number;
  outputDim: number;
  /** Most tokens one window may hold (BERT: max_position_embeddings − 2); undefined when positions are unbounded. */
  tokenLimit?: number;
  /** config.json fields beside the churnscope section (model_type and sizes) so other tools read the bundle right. */
  hfConfig: Record<string, unknown>;
  /** One line for logs and the model card. */
  description: string;
  createTrainable(logger: Logger): TrainableEncoder;
  /** ONNX bytes of the pretrained encoder, or of `trained` (from createTrainable), with the head. */
  buildModel(opts: {
    head: HybridHeadParams;
    trained?: TrainableEncoder;
    metadata?: Record<string, string>;
  }): Promise<Uint8Array>;
}

export interface OpenPipelineEncoderOptions {
  /** 'use-lite' or the path of a local Hugging Face model folder. */
  encoder: string;
  pooling?: BertPooling;
  logger: Logger;
}

export async function openPipelineEncoder(opts: OpenPipelineEncoderOptions): Promise<PipelineEncoder> {
  if (opts.encoder === DEFAULT_ENCODER) {
    if (opts.pooling && opts.pooling !== 'mean')
      throw new ValidationError(
        '--pooling applies to BERT-family encoders only; USE-lite has its own mean + tanh pooling',
        { field: 'pooling' },
      );
    return useLite();
  }
  return bertFolder(opts);
}

async function useLite(): Promise<PipelineEncoder> {
  const params = await readUseLiteCheckpoint();
  return {
    family: 'use-lite',
    baseId: 'use-lite-base-1',
    tokenizerJson: buildUseLiteTokenizerJson(await readUseLiteVocab()),
    vocabSize: USE_LITE_ARCHITECTURE.vocabSize,
    outputDim: USE_LITE_ARCHITECTURE.outputDim,
    hfConfig: {},
    description: 'Universal Sentence Encoder Lite (bundled)',
    createTrainable: (logger) => UseLiteEncoder.fromParams(params, { logger }),
    buildModel: async ({ head, trained, metadata }) => {
      if (trained && !(trained instanceof UseLiteEncoder))
        throw new ValidationError(`a ${trained.family} encoder cannot be exported as USE-lite`);
      return buildUseLiteModel({ params: trained ? await trained.toParams() : params, head, metadata });
    },
  };
}

async function bertFolder(opts: OpenPipelineEncoderOptions): Promise<PipelineEncoder> {
  const checkpoint = await readHfCheckpoint({ dir: opts.encoder, pooling: opts.pooling });
  const { params } = checkpoint;
  const { arch } = params;
  const { architectures: _unused, ...hfConfig } = toHfBertConfig(arch);
  const description = `${arch.modelType} from ${checkpoint.dir} (${arch.numLayers} layers, hidden ${arch.hiddenSize}, ${arch.numHeads} heads, vocab ${arch.vocabSize}, ${arch.pooling} pooling)`;
  opts.logger.info({ weights: checkpoint.weightsFile, fingerprint: checkpoint.fingerprint }, `encoder: ${description}`);
  return {
    family: 'bert',
    baseId: `bert-base-${checkpoint.fingerprint}`,
    tokenizerJson: checkpoint.tokenizerJson,
    vocabSize: arch.vocabSize,
    outputDim: arch.hiddenSize,
    tokenLimit: bertTokenLimit(arch),
    hfConfig,
    description,
    createTrainable: (logger) => BertEncoder.fromParams(params, { logger }),
    buildModel: async ({ head, trained, metadata }) => {
      if (trained && !(trained instanceof BertEncoder))
        throw new ValidationError(`a ${trained.family} encoder cannot be exported as BERT`);
      return buildBertModel({ params: trained ? await trained.toParams() : params, head, metadata });
    },
  };
}
