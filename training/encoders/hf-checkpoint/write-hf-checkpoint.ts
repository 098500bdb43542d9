// Writes BertParams as a Hugging Face folder (config.json, tokenizer.json, model.safetensors): test checkpoints and round trips.
import fs from 'node:fs';
import path from 'node:path';
import type { BertParams } from '../../../onnx/params/bert-params';
import { toHfBertConfig } from './bert-config';
import { HF_FILES } from './read-hf-checkpoint';
import { encodeSafetensors, type SafetensorsDtype } from './safetensors';
import { bertParamsToTensors } from './weight-names';

export interface WriteHfCheckpointOptions {
  dir: string;
  params: BertParams;
  /** The tokenizer.json to ship beside the weights (copied as is, post-processor included). */
  tokenizerFile: string;
  dtype?: SafetensorsDtype;
  /** Tensor-name prefix, e.g. 'bert.' as BertForSequenceClassification saves them. */
  prefix?: string;
}

export function writeHfCheckpoint(opts: WriteHfCheckpointOptions): void {
  fs.mkdirSync(opts.dir, { recursive: true });
  const { clsId: _cls, sepId: _sep, pooling: _pooling, ...config } = opts.params.arch;
  fs.writeFileSync(path.join(opts.dir, HF_FILES.config), `${JSON.stringify(toHfBertConfig(config), null, 2)}\n`);
  fs.copyFileSync(opts.tokenizerFile, path.join(opts.dir, HF_FILES.tokenizer));
  const tensors = bertParamsToTensors(opts.params, opts.prefix);
  fs.writeFileSync(
    path.join(opts.dir, HF_FILES.safetensors),
    encodeSafetensors(tensors, opts.dtype ?? 'F32', { format: 'pt' }),
  );
}
