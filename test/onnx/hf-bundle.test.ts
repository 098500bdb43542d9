// The Hugging-Face-layout bundle: atomic writes, and loading through transformers.js with the same outputs as onnxruntime-node.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModel, AutoTokenizer, type Tensor } from '@huggingface/transformers';
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { buildUseLiteTokenizerJson, readUseLiteVocab } from '../../src/tokenize/use-lite-tokenizer-json';
import { BUNDLE_FILES } from '../../src/bundle';
import { writeHfBundle } from '../../onnx/bundle/write-hf-bundle';
import { loadBundleWithTransformers, type TransformersBundle } from '../../onnx/bundle/load-with-transformers';
import { createSession, exportTestModel, maxAbsDiff, runOrt } from './helpers/exported-model';
import { reviewTexts as readReviews } from '../helpers/reviews';
import { referenceTokenizer } from '../helpers/use-reference-tokens';

const CHURNSCOPE = { version: 'test-1', encoder: 'use-lite', maxTokens: 128 };

describe('writeHfBundle', () => {
  const root = mkdtempSync(join(tmpdir(), 'churnscope-bundle-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const tiny = {
    model: {
      type: 'Unigram',
      unk_id: 0,
      vocab: [
        ['<unk>', 0],
        ['a', -1],
      ],
    },
  };
  const bytes = new Uint8Array([8, 8]);

  it('writes config (defaults + churnscope section), tokenizer files and onnx/model.onnx', async () => {
    const { dir } = await writeHfBundle({
      outDir: join(root, 'b1'),
      modelBytes: bytes,
      tokenizerJson: tiny,
      config: { churnscope: CHURNSCOPE },
    });
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
      model_type: 'use-lite',
      churnscope: CHURNSCOPE,
    });
    const tc = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(tc).toMatchObject({ tokenizer_class: 'PreTrainedTokenizer', padding_side: 'right', model_max_length: 128 });
    expect(tc).toMatchObject({ unk_token: '<unk>', pad_token: '<unk>' });
    expect(new Uint8Array(readFileSync(join(dir, BUNDLE_FILES.model)))).toEqual(bytes);
  });

  it('refuses to replace an existing bundle unless asked, then swaps it whole', async () => {
    const outDir = join(root, 'b2');
    await writeHfBundle({ outDir, modelBytes: bytes, tokenizerJson: tiny, config: {} });
    await expect(writeHfBundle({ outDir, modelBytes: bytes, tokenizerJson: tiny, config: {} })).rejects.toThrow(
      ValidationError,
    );
    await writeHfBundle({
      outDir,
      modelBytes: new Uint8Array([1, 2, 3]),
      tokenizerJson: tiny,
      config: { x: 1 },
      overwrite: true,
    });
    expect(readFileSync(join(outDir, BUNDLE_FILES.model)).length).toBe(3);
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('leaves neither a half-written bundle nor temp files when a write fails midway', async () => {
    const outDir = join(root, 'b3');
    const unserialisable = { big: 1n }; // JSON.stringify throws after config.json is already on disk
    await expect(
      writeHfBundle({ outDir, modelBytes: bytes, tokenizerJson: unserialisable, config: {} }),
    ).rejects.toThrow(/BigInt/);
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('bundle loaded by transformers.js v4', () => {
  const root = mkdtempSync(join(tmpdir(), 'churnscope-hf-'));
  const dir = join(root, 'use-lite-churn');
  let session: ort.InferenceSession;
  let bundle: TransformersBundle;
  let texts: string[];

  beforeAll(async () => {
    const { bytes } = await exportTestModel();
    const tokenizerJson = buildUseLiteTokenizerJson(await readUseLiteVocab());
    await writeHfBundle({ outDir: dir, modelBytes: bytes, tokenizerJson, config: { churnscope: CHURNSCOPE } });
    session = await createSession(bytes);
    bundle = await loadBundleWithTransformers(dir, { sessionOptions: { intraOpNumThreads: 2 } });
    texts = (await readReviews(24)).slice(0, 24);
  });
  afterAll(async () => {
    await bundle?.dispose();
    await session?.release();
    rmSync(root, { recursive: true, force: true });
  });

  it('embeds like onnxruntime-node on the same ids (≤1e-4), one text per call', async () => {
    let worst = 0;
    for (const text of texts) {
      const ids = Array.from(
        bundle.tokenizer(text, { truncation: true, max_length: 128 }).input_ids.data as BigInt64Array,
        Number,
      );
      const [hf, direct] = [await bundle.embed(text), await runOrt(session, [ids])];
      worst = Math.max(
        worst,
        maxAbsDiff(hf.embedding, direct.embedding[0]),
        Math.abs(hf.probability - direct.probability[0]),
      );
    }
    console.info(`[transformers.js] ${texts.length} texts: max |transformers.js - ORT| = ${worst.toExponential(3)}`);
    expect(bundle.maxTokens).toBe(128);
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  it('tokenizes like the reference USE tokenizer (so its embeddings are the original model’s)', async () => {
    const reference = referenceTokenizer();
    const mismatched = texts.filter((t) => {
      const ours = Array.from(
        bundle.tokenizer(t, { truncation: true, max_length: 128 }).input_ids.data as BigInt64Array,
        Number,
      );
      return ours.join() !== reference(t, 128).join();
    });
    expect(mismatched).toEqual([]);
  });

  it('also loads through AutoModel / AutoTokenizer (unknown model_type falls back to the encoder-only base class)', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    const model = await AutoModel.from_pretrained(dir, { local_files_only: true, dtype: 'fp32' });
    const out = (await model(tokenizer(['first text', 'a second, longer text'], { padding: true }))) as Record<
      string,
      Tensor
    >;
    expect(out.embedding.dims).toEqual([2, 512]);
    expect(out.probability.dims).toEqual([2]);
    await model.dispose();
  });

  it('reports a missing file as ModelLoadError', async () => {
    await expect(loadBundleWithTransformers(join(root, 'nope'))).rejects.toThrow(/lacks config.json/);
  });
});
