// Opens a local Hugging Face BERT-family folder (config.json, tokenizer.json, model.safetensors or onnx/model.onnx) into BertParams.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ModelLoadError } from '../../../src/errors';
import { readOnnxInitializers } from '../../../onnx/initializers/read-initializers';
import type { BertParams, BertPooling } from '../../../onnx/params/bert-params';
import { validateBertParams } from '../../../onnx/params/validate-bert-params';
import { parseBertConfig } from './bert-config';
import { inspectHfTokenizer } from './hf-tokenizer';
import { readSafetensors, type TensorMap } from './safetensors';
import { bertParamsFromTensors } from './weight-names';

export interface ReadHfCheckpointOptions {
  dir: string;
  pooling?: BertPooling;
}

export interface HfCheckpoint {
  dir: string;
  params: BertParams;
  /** tokenizer.json as the bundle ships it (special tokens added by the encoder, not the tokenizer). */
  tokenizerJson: Record<string, unknown>;
  /** The file the weights came from. */
  weightsFile: string;
  /** Changes whenever config, tokenizer, weights or pooling do: keys caches of the frozen export. */
  fingerprint: string;
}

export const HF_FILES = {
  config: 'config.json',
  tokenizer: 'tokenizer.json',
  safetensors: 'model.safetensors',
  onnx: path.join('onnx', 'model.onnx'),
} as const;

export async function readHfCheckpoint(opts: ReadHfCheckpointOptions): Promise<HfCheckpoint> {
  const dir = path.resolve(opts.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ModelLoadError(
      `encoder folder ${dir} does not exist; --encoder takes use-lite or a local Hugging Face model folder`,
      { file: dir, field: 'encoder' },
    );
  }
  const configFile = path.join(dir, HF_FILES.config);
  const tokenizerFile = path.join(dir, HF_FILES.tokenizer);
  const config = parseBertConfig(readJson(configFile, 'config.json (the model architecture)'), configFile);
  const tokenizer = inspectHfTokenizer(
    readJson(
      tokenizerFile,
      'tokenizer.json (a fast tokenizer: save it with tokenizer.save_pretrained; vocab.txt alone is not enough)',
    ),
    tokenizerFile,
  );
  const weightsFile = pickWeights(dir);
  const tensors: TensorMap = weightsFile.endsWith('.onnx')
    ? await readOnnxInitializers(weightsFile)
    : await readSafetensors(weightsFile);
  const arch = { ...config, clsId: tokenizer.clsId, sepId: tokenizer.sepId, pooling: opts.pooling ?? 'mean' };
  const params = bertParamsFromTensors(tensors, arch, weightsFile);
  if (tokenizer.maxId >= arch.vocabSize) {
    throw new ModelLoadError(
      `${tokenizerFile} produces ids up to ${tokenizer.maxId}, but the embedding table has ${arch.vocabSize} rows (config.json vocab_size): tokenizer and weights do not belong together`,
      { file: tokenizerFile, field: 'vocab_size' },
    );
  }
  validateBertParams(params, weightsFile);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ arch, pooling: arch.pooling }))
    .update(fs.readFileSync(tokenizerFile))
    .update(fs.readFileSync(weightsFile))
    .digest('hex')
    .slice(0, 16);
  return { dir, params, tokenizerJson: tokenizer.bundleJson, weightsFile, fingerprint };
}

function readJson(file: string, what: string): unknown {
  if (!fs.existsSync(file)) throw new ModelLoadError(`encoder folder lacks ${what}: ${file} not found`, { file });
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ModelLoadError(`cannot parse ${file}: ${(e as Error).message}`, { file, cause: e });
  }
}

/** model.safetensors first (exact weights), then onnx/model.onnx; other formats get a message saying what to do. */
function pickWeights(dir: string): string {
  for (const f of [HF_FILES.safetensors, HF_FILES.onnx]) if (fs.existsSync(path.join(dir, f))) return path.join(dir, f);
  const hints: string[] = [];
  if (fs.existsSync(path.join(dir, 'model.safetensors.index.json')))
    hints.push(
      'sharded safetensors (model.safetensors.index.json) are not supported: save with a larger max_shard_size',
    );
  if (fs.existsSync(path.join(dir, 'pytorch_model.bin')))
    hints.push('pytorch_model.bin is not read (pickle); convert it with save_pretrained(..., safe_serialization=True)');
  if (fs.existsSync(path.join(dir, 'tf_model.h5'))) hints.push('tf_model.h5 is not read');
  const why = hints.length ? ` (${hints.join('; ')})` : '';
  throw new ModelLoadError(
    `encoder folder ${dir} has no weights: expected ${HF_FILES.safetensors} or ${HF_FILES.onnx}${why}`,
    { file: dir, field: 'encoder' },
  );
}
