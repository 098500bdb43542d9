// Head mode's frozen encoder: the pretrained USE-lite exported once to ONNX (cached), and embeddings cached per dataset.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../../src/io';
import { engineDefaults } from '../../src/config';
import { createEngine, type InferenceEngine } from '../../src/engine';
import type { Logger } from '../../src/logging';
import { buildUseLiteTokenizerJson, readUseLiteVocab } from '../../src/tokenize';
import { buildUseLiteModel, writeHfBundle } from '../../onnx';
import { readUseLiteCheckpoint, USE_LITE_ARCHITECTURE, type UseLiteParams } from '../encoders/use-lite';
import { zeroHead } from '../heads/zero-head';
import type { PipelineEncoder } from './encoder-choice';

const BASE_VERSION = 'use-lite-base-1';

export interface FrozenEncoderOptions {
  cacheDir: string;
  maxTokens: number;
  logger: Logger;
}

/** The pretrained encoder with a zero head as a servable bundle; built on first use, reused afterwards. */
export async function openFrozenEncoder(
  opts: FrozenEncoderOptions,
): Promise<{ engine: InferenceEngine; params: UseLiteParams; modelHash: string }> {
  const dir = path.join(opts.cacheDir, BASE_VERSION);
  const params = await readUseLiteCheckpoint();
  if (!fs.existsSync(path.join(dir, 'onnx', 'model.onnx'))) {
    opts.logger.info({ dir }, 'exporting the pretrained encoder to ONNX for frozen embeddings (once)');
    const modelBytes = buildUseLiteModel({
      params,
      head: zeroHead(USE_LITE_ARCHITECTURE.outputDim, USE_LITE_ARCHITECTURE.vocabSize),
    });
    const tokenizerJson = buildUseLiteTokenizerJson(await readUseLiteVocab());
    await writeHfBundle({
      outDir: dir,
      modelBytes,
      tokenizerJson,
      config: { churnscope: { version: BASE_VERSION, encoder: 'use-lite', maxTokens: opts.maxTokens } },
      overwrite: true,
    });
  }
  const { engine, modelHash } = await openCachedExport(dir, opts);
  return { engine, params, modelHash };
}

/** Any encoder family's pretrained export with a zero head, cached under its baseId (which changes with its weights). */
export async function openFrozenPipelineEncoder(
  opts: FrozenEncoderOptions & { encoder: PipelineEncoder },
): Promise<{ engine: InferenceEngine; modelHash: string }> {
  const { encoder } = opts;
  const dir = path.join(opts.cacheDir, encoder.baseId);
  if (!fs.existsSync(path.join(dir, 'onnx', 'model.onnx'))) {
    opts.logger.info(
      { dir, encoder: encoder.description },
      'exporting the pretrained encoder to ONNX for frozen embeddings (once)',
    );
    const modelBytes = await encoder.buildModel({ head: zeroHead(encoder.outputDim, encoder.vocabSize) });
    const churnscope = {
      version: encoder.baseId,
      encoder: encoder.family,
      maxTokens: opts.maxTokens,
      ...(encoder.tokenLimit ? { tokenLimit: encoder.tokenLimit } : {}),
    };
    await writeHfBundle({
      outDir: dir,
      modelBytes,
      tokenizerJson: encoder.tokenizerJson,
      config: { ...encoder.hfConfig, churnscope },
      overwrite: true,
    });
  }
  return openCachedExport(dir, opts);
}

/** Embeddings of the given token sequences, from the cache when this model already embedded these exact sequences. */
export async function cachedEmbeddings(opts: {
  engine: InferenceEngine;
  modelHash: string;
  ids: Int32Array[];
  cacheDir: string;
  logger: Logger;
  dim?: number;
}): Promise<Float32Array> {
  const h = createHash('sha256').update(opts.modelHash);
  for (const seq of opts.ids) h.update(Buffer.from(seq.buffer, seq.byteOffset, seq.byteLength)).update('|');
  const file = path.join(opts.cacheDir, 'embeddings', `${h.digest('hex').slice(0, 24)}.f32`);
  const dim = opts.dim ?? USE_LITE_ARCHITECTURE.outputDim;
  if (fs.existsSync(file)) {
    const buf = fs.readFileSync(file);
    if (buf.byteLength === opts.ids.length * dim * 4) {
      opts.logger.info({ file }, 'frozen embeddings: cache hit');
      return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice();
    }
  }
  const started = performance.now();
  const { embeddings } = await opts.engine.embedTokenized(opts.ids);
  const flat = new Float32Array(opts.ids.length * dim);
  embeddings.forEach((e, i) => flat.set(e, i * dim));
  writeFileAtomicSync(file, new Uint8Array(flat.buffer));
  opts.logger.info(
    { file, texts: opts.ids.length, seconds: (performance.now() - started) / 1000 },
    'frozen embeddings: computed with ONNX Runtime and cached',
  );
  return flat;
}

/**
 * Opens a cached pretrained export and names it by its weights' hash (the embedding cache key). Always the fp32 file:
 * frozen embeddings are training inputs, and the int8 file is a serving choice.
 */
async function openCachedExport(
  dir: string,
  opts: FrozenEncoderOptions,
): Promise<{ engine: InferenceEngine; modelHash: string }> {
  const modelHash = createHash('sha256')
    .update(fs.readFileSync(path.join(dir, 'onnx', 'model.onnx')))
    .digest('hex')
    .slice(0, 16);
  const engine = await createEngine({
    bundleDir: dir,
    config: engineDefaults({ maxTokens: opts.maxTokens, providers: ['cuda', 'cpu'], precision: 'fp32' }),
    logger: opts.logger,
  });
  return { engine, modelHash };
}
