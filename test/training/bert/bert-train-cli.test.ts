// `npx churnscope train --encoder <tiny BERT folder> --mode full`: safetensors → TF.js → one fine-tuning epoch → ONNX → served bundle.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOnnxInitializers } from '../../../onnx';
import { engineDefaults } from '../../../src/config';
import { silentLogger } from '../../../src/logging';
import { openServingModel } from '../../../src/models';
import { trainOptionsSchema, trainTextModel } from '../../../training/pipeline';
import { loadReviews } from '../../helpers/reviews';
import { tinyBert, tmpDir, writeTinyCheckpoint } from './helpers/tiny-bert';

const run = promisify(execFile);
const CLI = path.resolve('bin/churnscope.js');
const root = tmpDir('bert-cli-');
const encoderDir = path.join(root, 'tiny-bert');
const out = path.join(root, 'bundle');
let csv: string;

beforeAll(async () => {
  // BERT's own init scale (0.02): what a user's checkpoint looks like before fine-tuning, only smaller.
  writeTinyCheckpoint(encoderDir, tinyBert({}, 21, 0.02));
  const reviews = (await loadReviews()).slice(0, 160);
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  csv = path.join(root, 'reviews.csv');
  fs.writeFileSync(csv, `review,score\n${reviews.map((r) => `${quote(r.review)},${r.score}`).join('\n')}\n`);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'error' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const trainArgs = (extra: string[]) => [
  'train',
  '--data',
  csv,
  '--text-col',
  'review',
  '--label-col',
  'score',
  '--positive',
  'other',
  '--encoder',
  encoderDir,
  '--cache-dir',
  path.join(root, 'cache'),
  '--backend',
  'wasm',
  '--seed',
  '1',
  ...extra,
];

describe('churnscope train --encoder <Hugging Face BERT folder>', () => {
  it('fine-tunes the BERT end to end and writes a bundle the engine serves', async () => {
    const started = performance.now();
    const res = await cli(
      trainArgs([
        ...['--mode', 'full', '--epochs', '1', '--batch-size', '16', '--max-tokens', '48', '--out', out],
        // Two threads whatever the machine: the BERT folder is reopened in the gradient worker.
        ...['--threads', '2'],
      ]),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    console.info(
      `tiny BERT, full mode, 1 epoch over 128 rows: ${seconds.toFixed(1)} s wall (CLI); parity ${summary.parity.maxAbsDiff}`,
    );
    expect(summary.parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(summary.version).toMatch(/^bert-full-/);

    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      model_type: 'bert',
      hidden_size: 32,
      num_hidden_layers: 2,
      churnscope: { encoder: 'bert', maxTokens: 48, tokenLimit: 510 },
    });
    expect(JSON.parse(fs.readFileSync(path.join(out, 'tokenizer.json'), 'utf8')).post_processor).toBeNull();
    const card = JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8'));
    expect(card.mode).toBe('full');
    expect(card.training.threads).toBe(2);
    expect(card.notes.some((n: string) => /^full phase: .* at epoch 1$/.test(n))).toBe(true);
    expect(card.notes[0]).toMatch(/^Encoder: bert from .*tiny-bert \(2 layers, hidden 32/);

    // Fine-tuning really moved the encoder: the exported embedding table differs from the checkpoint's.
    const before = (
      await readOnnxInitializers(
        path.join(
          root,
          'cache',
          fs.readdirSync(path.join(root, 'cache')).find((d) => d.startsWith('bert-base-'))!,
          'onnx',
          'model.onnx',
        ),
      )
    ).get('embeddings.word_embeddings.weight')!;
    const after = (await readOnnxInitializers(path.join(out, 'onnx', 'model.onnx'))).get(
      'embeddings.word_embeddings.weight',
    )!;
    expect(after.shape).toEqual([30522, 32]);
    expect(after.data.some((v, i) => v !== before.data[i])).toBe(true);

    // Served by the unchanged engine: windows of ≤ 48 tokens, each wrapped in [CLS] … [SEP] by the graph.
    const model = await openServingModel({
      dir: out,
      engine: engineDefaults({ providers: ['cpu'], maxTokens: 48, windowOverlap: 8 }),
      logger: silentLogger(),
    });
    const long = Array.from({ length: 30 }, (_, i) => `The parcel number ${i} arrived late and broken.`).join(' ');
    const [a, b, c] = await model.engine.score([
      'Stale and overpriced, I want a refund.',
      'Delicious, will buy again!',
      long,
    ]);
    await model.engine.dispose();
    for (const s of [a, b, c])
      expect(Number.isFinite(s.probability) && s.probability > 0 && s.probability < 1).toBe(true);
    expect(a.probability).not.toBe(b.probability);
    expect(c.windows.count).toBeGreaterThan(1);
    expect(model.info.encoder).toBe('bert');
  });

  it('quantizes the BERT bundle through the same gate: an int8 file with its figures, or a card saying why not', async () => {
    const card = JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8'));
    const int8 = path.join(out, 'onnx', 'model_quantized.onnx');
    expect(fs.existsSync(path.join(out, 'validation-set.json'))).toBe(true);
    if (card.precisions) {
      console.info(
        `tiny BERT int8: ROC-AUC ${card.precisions.int8.rocAuc} vs fp32 ${card.precisions.fp32.rocAuc}, ${card.precisions.quantizedProducts} products`,
      );
      expect(fs.existsSync(int8)).toBe(true);
      expect(card.precisions.rocAucLoss).toBeLessThanOrEqual(card.precisions.maxRocAucLoss);
      // Per layer the exporter writes four weight products (fused QKV, attention output, two FFN), plus the head.
      expect(card.precisions.quantizedProducts).toBeGreaterThanOrEqual(2 * 4 + 1);
      expect(card.precisions.keptProducts).toEqual([]);
      const model = await openServingModel({
        dir: out,
        engine: engineDefaults({ providers: ['cpu'], maxTokens: 48, windowOverlap: 8, precision: 'int8' }),
        logger: silentLogger(),
      });
      const [s] = await model.engine.score(['Stale and overpriced, I want a refund.']);
      expect(model.engine.modelFile).toBe('onnx/model_quantized.onnx');
      await model.engine.dispose();
      expect(Number.isFinite(s.probability)).toBe(true);
    } else {
      expect(fs.existsSync(int8)).toBe(false);
      expect(card.notes.some((n: string) => n.startsWith('No int8 model: int8 model refused'))).toBe(true);
    }
  });

  it('lowers an engine window that would not fit the position table', async () => {
    const model = await openServingModel({
      dir: out,
      engine: engineDefaults({ providers: ['cpu'], maxTokens: 4096, maxWindows: 2 }),
      logger: silentLogger(),
    });
    const [s] = await model.engine.score([Array.from({ length: 700 }, () => 'refund').join(' ')]);
    await model.engine.dispose();
    expect(s.windows.count).toBe(2);
    expect(Number.isFinite(s.probability)).toBe(true);
  });

  it('refuses an unusable encoder folder or window size before writing anything', async () => {
    const options = (extra: Record<string, unknown>) =>
      trainOptionsSchema.parse({
        out: path.join(root, 'x'),
        cacheDir: path.join(root, 'cache'),
        encoder: encoderDir,
        ...extra,
      });
    const data = [{ file: csv, textCol: 'review', labelCol: 'score', positive: ['other'] }];
    const train = (extra: Record<string, unknown>) =>
      trainTextModel({ data, options: options(extra), logger: silentLogger() });
    await expect(train({ encoder: path.join(root, 'nope') })).rejects.toThrow(
      /does not exist; --encoder takes use-lite or a local Hugging Face model folder/,
    );
    await expect(train({ maxTokens: 600 })).rejects.toThrow(/--max-tokens 600 exceeds this encoder's limit of 510/);
    await expect(train({ encoder: 'use-lite', pooling: 'cls' })).rejects.toThrow(
      /--pooling applies to BERT-family encoders only/,
    );
    expect(fs.existsSync(path.join(root, 'x'))).toBe(false);
  });
});
