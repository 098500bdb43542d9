// Writes a Hugging-Face-layout model folder (config, tokenizer, onnx/model.onnx) atomically: built beside the target, then renamed into place.
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ValidationError } from '../../src/errors';
import { BUNDLE_FILES } from '../../src/bundle/bundle-layout';
import { silentLogger, type Logger } from '../../src/logging/index';
import { defaultTokenizerConfig, HF_CONFIG_DEFAULTS } from './hf-config';

export interface WriteHfBundleOptions {
  outDir: string;
  modelBytes: Uint8Array;
  /** A tokenizers-library tokenizer.json object (e.g. from buildUseLiteTokenizerJson). */
  tokenizerJson: object;
  /** Merged over HF_CONFIG_DEFAULTS into config.json (put the churnscope section here). */
  config: object;
  /** Merged over the defaults derived from tokenizerJson into tokenizer_config.json. */
  tokenizerConfig?: object;
  /** Replace an existing bundle at outDir; without it an existing folder is an error. */
  overwrite?: boolean;
  logger?: Logger;
}

/** Write and fsync, so that the rename below never publishes a file whose bytes are still only in the page cache. */
async function writeDurable(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function writeHfBundle(opts: WriteHfBundleOptions): Promise<{ dir: string; files: string[] }> {
  const log = opts.logger ?? silentLogger();
  const dir = resolve(opts.outDir);
  if (opts.modelBytes.byteLength === 0) throw new ValidationError('modelBytes is empty', { field: 'modelBytes' });
  if ((await exists(dir)) && !opts.overwrite) {
    throw new ValidationError(`bundle folder ${dir} already exists (pass overwrite: true to replace it)`, {
      field: 'outDir',
    });
  }
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  // Same parent folder => same filesystem => rename is atomic. mkdir (not mkdtemp, which is 0700) keeps the umask's permissions.
  const tmp = join(parent, `.${basename(dir)}.tmp-${randomUUID()}`);
  await mkdir(join(tmp, 'onnx'), { recursive: true });
  try {
    const config = { ...HF_CONFIG_DEFAULTS, ...opts.config };
    // The churnscope section's window length doubles as the tokenizer's, so `truncation: true` alone does the right thing.
    const maxTokens = (opts.config as { churnscope?: { maxTokens?: unknown } }).churnscope?.maxTokens;
    const tokenizerConfig = {
      ...defaultTokenizerConfig(opts.tokenizerJson),
      ...(typeof maxTokens === 'number' ? { model_max_length: maxTokens } : {}),
      ...opts.tokenizerConfig,
    };
    await writeDurable(join(tmp, BUNDLE_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
    await writeDurable(join(tmp, BUNDLE_FILES.tokenizer), JSON.stringify(opts.tokenizerJson));
    await writeDurable(join(tmp, BUNDLE_FILES.tokenizerConfig), `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
    await writeDurable(join(tmp, BUNDLE_FILES.model), opts.modelBytes);

    if (await exists(dir)) {
      // rename() cannot replace a non-empty folder: move the old one aside first, so readers see old or new, never a mix.
      const old = `${tmp}.old`;
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, dir);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  log.info({ dir, modelBytes: opts.modelBytes.byteLength }, 'wrote model bundle');
  const written = [BUNDLE_FILES.config, BUNDLE_FILES.tokenizer, BUNDLE_FILES.tokenizerConfig, BUNDLE_FILES.model];
  return { dir, files: written.map((f) => join(dir, f)) };
}
