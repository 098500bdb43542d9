// Loads a churnscope bundle through @huggingface/transformers: the naive one-text-per-call baseline the benchmark compares our engine against.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import { ModelLoadError, ValidationError } from '../../src/errors';
import { BUNDLE_FILES } from '../../src/bundle/bundle-layout';

export interface LoadWithTransformersOptions {
  /** Tokens kept per text; defaults to config.json churnscope.maxTokens, then tokenizer model_max_length, then 128. */
  maxTokens?: number;
  /** Passed to onnxruntime's InferenceSession (e.g. { intraOpNumThreads: 2 }). */
  sessionOptions?: Record<string, unknown>;
  /** fp32 reads onnx/model.onnx, q8 onnx/model_quantized.onnx (transformers.js's own file names). Default fp32. */
  dtype?: 'fp32' | 'q8';
}

export interface TransformersBundle {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  maxTokens: number;
  embed(text: string): Promise<{ embedding: Float32Array; probability: number }>;
  dispose(): Promise<void>;
}

function readMaxTokens(dir: string): number | undefined {
  const file = join(dir, BUNDLE_FILES.config);
  let config: { churnscope?: { maxTokens?: unknown } };
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as typeof config;
  } catch (e) {
    throw new ModelLoadError(`cannot parse ${file}: ${(e as Error).message}`, { cause: e, file });
  }
  const v = config.churnscope?.maxTokens;
  return typeof v === 'number' && v > 0 ? v : undefined;
}

/**
 * Loads from a local folder only (local_files_only: an absolute path is never taken for a Hub id, and nothing is
 * fetched or cached). PreTrainedModel is used directly rather than AutoModel: AutoModel works too (see hf-config.ts)
 * but warns on the console that "use-lite" is an unknown model class.
 */
export async function loadBundleWithTransformers(
  dir: string,
  opts: LoadWithTransformersOptions = {},
): Promise<TransformersBundle> {
  const root = resolve(dir);
  const modelFile = opts.dtype === 'q8' ? BUNDLE_FILES.quantizedModel : BUNDLE_FILES.model;
  for (const f of [BUNDLE_FILES.config, BUNDLE_FILES.tokenizer, BUNDLE_FILES.tokenizerConfig, modelFile]) {
    if (!existsSync(join(root, f)))
      throw new ModelLoadError(`model bundle ${root} lacks ${f}`, { file: join(root, f) });
  }
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  try {
    // Imported lazily: exporting a model must not pay for loading transformers.js and its runtime.
    const { PreTrainedModel, PreTrainedTokenizer } = await import('@huggingface/transformers');
    tokenizer = await PreTrainedTokenizer.from_pretrained(root, { local_files_only: true });
    model = await PreTrainedModel.from_pretrained(root, {
      local_files_only: true,
      dtype: opts.dtype ?? 'fp32',
      device: 'cpu',
      session_options: opts.sessionOptions ?? {},
    });
  } catch (e) {
    throw new ModelLoadError(`transformers.js could not load ${root}: ${(e as Error).message}`, {
      cause: e,
      file: root,
    });
  }
  // transformers.js types model_max_length as any; a tokenizer without a limit reports a huge or missing value.
  const declared: unknown = tokenizer.model_max_length;
  const maxTokens =
    opts.maxTokens ??
    readMaxTokens(root) ??
    (typeof declared === 'number' && Number.isFinite(declared) ? declared : 128);

  const embed = async (text: string) => {
    if (typeof text !== 'string' || text.trim() === '')
      throw new ValidationError('text must be a non-empty string', { field: 'text' });
    const inputs = tokenizer(text, { truncation: true, max_length: maxTokens });
    const out = (await model(inputs)) as Record<string, Tensor>;
    if (!out.embedding || !out.probability) {
      throw new ModelLoadError(`model in ${root} does not output embedding and probability`, { file: root });
    }
    return {
      embedding: (out.embedding.data as Float32Array).slice(),
      probability: (out.probability.data as Float32Array)[0],
    };
  };
  return {
    tokenizer,
    model,
    maxTokens,
    embed,
    dispose: async () => {
      await model.dispose();
    },
  };
}
