// A BERT bundle is a valid Hugging Face folder: transformers.js loads it as BertModel and agrees with the churnscope engine.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBertModel, writeHfBundle } from '../../../onnx';
import { loadBundleWithTransformers } from '../../../onnx/bundle/load-with-transformers';
import { engineDefaults } from '../../../src/config';
import { createEngine } from '../../../src/engine';
import { silentLogger } from '../../../src/logging';
import { readHfCheckpoint, toHfBertConfig } from '../../../training/encoders/hf-checkpoint';
import { testHead, tinyBert, tmpDir, writeTinyCheckpoint } from '../../training/bert/helpers/tiny-bert';

const root = tmpDir('bert-bundle-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('BERT bundle layout', () => {
  it('loads in transformers.js (model_type bert) with the same embedding and probability as the engine', async () => {
    const ckpt = await readHfCheckpoint({ dir: writeTinyCheckpoint(path.join(root, 'ckpt'), tinyBert({}, 4)) });
    const { architectures: _a, ...hf } = toHfBertConfig(ckpt.params.arch);
    const dir = path.join(root, 'bundle');
    await writeHfBundle({
      outDir: dir,
      modelBytes: buildBertModel({ params: ckpt.params, head: testHead(32, 30522) }),
      tokenizerJson: ckpt.tokenizerJson,
      config: { ...hf, churnscope: { version: 't', encoder: 'bert', maxTokens: 64, tokenLimit: 510 } },
    });
    const text = 'The refund never came and support stopped answering.';
    const engine = await createEngine({
      bundleDir: dir,
      config: engineDefaults({ providers: ['cpu'] }),
      logger: silentLogger(),
    });
    const [ours] = await engine.score([text]);
    await engine.dispose();
    const bundle = await loadBundleWithTransformers(dir);
    const theirs = await bundle.embed(text);
    await bundle.dispose();
    expect(Math.abs(theirs.probability - ours.probability)).toBeLessThan(1e-6);
    expect(Math.max(...theirs.embedding.map((v, i) => Math.abs(v - ours.embedding[i])))).toBeLessThan(1e-6);
    const { AutoModel } = await import('@huggingface/transformers');
    const model = await AutoModel.from_pretrained(dir, { local_files_only: true, dtype: 'fp32' });
    expect(model.constructor.name).toBe('BertModel');
    await model.dispose();
  });
});
