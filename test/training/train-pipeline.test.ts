import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundleInfo, readDriftReference } from '../../src/bundle';
import { engineDefaults } from '../../src/config';
import { createEngine } from '../../src/engine';
import { DataFileError, ValidationError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { trainOptionsSchema, trainTextModel, TrainingInterruptedError } from '../../training/pipeline';
import { loadReviews } from '../helpers/reviews';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'train-'));
const cacheDir = path.join(dir, 'cache');
let csv: string;

beforeAll(async () => {
  // 400 real reviews keep the run to seconds while leaving both classes well represented.
  const reviews = (await loadReviews()).slice(0, 400);
  csv = path.join(dir, 'reviews.csv');
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  fs.writeFileSync(csv, `review,score\n${reviews.map((r) => `${quote(r.review)},${r.score}`).join('\n')}\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const spec = () => [{ file: csv, textCol: 'review', labelCol: 'score', positive: ['other'] }];
const opts = (out: string, extra: Record<string, unknown> = {}) =>
  trainOptionsSchema.parse({
    out: path.join(dir, out),
    cacheDir,
    epochs: 4,
    seed: 1,
    backend: 'wasm',
    // 320 training rows: head mode and bags forced on, so the trained-head and bag paths stay under test (auto would
    // pick few-shot mode below 400 rows, tested on its own below).
    mode: 'head',
    head: { bags: 'on', bigramBuckets: 4096 },
    ...extra,
  });

describe('trainTextModel (head mode)', () => {
  it('writes a complete, servable bundle whose ONNX outputs match TF.js', async () => {
    // The int8 gate is loosened for this tiny model: on 80 validation texts one swapped pair moves ROC-AUC by ~0.0006,
    // and int8 kernels round differently on AVX2 and AVX-512 VNNI CPUs, so 0.005 passes on one machine and not another.
    const card = await trainTextModel({
      data: spec(),
      options: opts('bundle', { maxRocAucLoss: 0.05 }),
      logger: silentLogger(),
    });
    const out = path.join(dir, 'bundle');
    for (const f of ['config.json', 'tokenizer.json', 'onnx/model.onnx', 'model-card.json', 'model-card.html']) {
      expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    }
    expect(card.parity!.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(card.metrics.overall.rocAuc).toBeGreaterThan(0.7);
    expect(card.data.rows).toBe(400);
    const info = readBundleInfo(out);
    expect(info.calibration?.method).toBe('platt');
    expect(info.bands!.high).toBeGreaterThanOrEqual(info.bands!.medium);
    // The baseline: fitted on the same split, compared on the same validation texts, kept for `eval`.
    expect(fs.existsSync(path.join(out, 'baseline.json'))).toBe(true);
    expect(card.baseline!.texts).toBe(card.split.valid);
    expect(card.baseline!.model.rocAuc).toBeCloseTo(card.metrics.overall.rocAuc!, 9);
    expect(card.baseline!.baseline.rocAuc).toBeGreaterThan(0.6);
    expect(card.baseline!.modelBeatsBaseline).toBe(card.baseline!.rocAucMargin > 0);
    expect(card.notes.some((n) => n.includes('baseline'))).toBe(true);
    const html = fs.readFileSync(path.join(out, 'model-card.html'), 'utf8');
    expect(html).toContain('Baseline: TF-IDF + logistic regression');
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(5); // ROC, PR, calibration, loss, confusion
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(fs.existsSync(`${out}.checkpoint`)).toBe(false);

    const engine = await createEngine({
      bundleDir: out,
      config: engineDefaults({ providers: ['cpu'] }),
      logger: silentLogger(),
    });
    const [bad, good] = await engine.score([
      'Stale, tasteless and overpriced. I want a refund.',
      'Delicious, my kids love it, will buy again!',
    ]);
    await engine.dispose();
    expect(bad.probability).toBeGreaterThan(good.probability);
  });

  it('writes the int8 file and its validation split by default, with both precisions on the card', async () => {
    const out = path.join(dir, 'bundle');
    expect(fs.existsSync(path.join(out, 'onnx/model_quantized.onnx'))).toBe(true);
    const card = JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8'));
    expect(card.precisions.fp32.n).toBe(card.split.valid);
    expect(card.precisions.maxRocAucLoss).toBe(0.05);
    expect(card.precisions.rocAucLoss).toBeLessThanOrEqual(card.precisions.maxRocAucLoss);
    expect(card.precisions.fp32.rocAuc).toBeCloseTo(card.metrics.uncalibrated.rocAuc, 6);
    const html = fs.readFileSync(path.join(out, 'model-card.html'), 'utf8');
    expect(html).toContain('Precision: fp32 and int8');
    expect(html).toContain('int8 onnx/model_quantized.onnx');
    const split = JSON.parse(fs.readFileSync(path.join(out, 'validation-set.json'), 'utf8'));
    expect(split.labels).toHaveLength(card.split.valid);
    // The drift reference is scored by the file a CPU server runs: the int8 one here.
    const reference = readDriftReference(out);
    expect(reference.texts).toBe(card.split.valid);
    expect(reference.engine.modelFile).toBe('onnx/model_quantized.onnx');
    expect(reference.numeric.risk.counts.reduce((a, b) => a + b, 0)).toBe(card.split.valid);
  });

  it('--no-quantize: fp32 only, and the bundle still serves', async () => {
    const card = await trainTextModel({
      data: spec(),
      options: opts('fp32-only', { quantize: false }),
      logger: silentLogger(),
    });
    const out = path.join(dir, 'fp32-only');
    expect(card.precisions).toBeUndefined();
    expect(fs.existsSync(path.join(out, 'onnx/model_quantized.onnx'))).toBe(false);
    const engine = await createEngine({
      bundleDir: out,
      config: engineDefaults({ providers: ['cpu'] }),
      logger: silentLogger(),
    });
    expect(engine.precision).toBe('fp32');
    await engine.dispose();
  });

  it('--bags auto: a small set (320 training rows < 400) trains the embedding-only head', async () => {
    const card = await trainTextModel({
      data: spec(),
      options: opts('small-set', { head: { bags: 'auto', bigramBuckets: 4096 }, quantize: false }),
      logger: silentLogger(),
    });
    expect(card.split.train).toBeLessThan(400);
    expect(card.head).toMatchObject({ unigrams: false, bigramBuckets: 0 });
    expect(card.metrics.overall.rocAuc).toBeGreaterThan(0.7);
  });

  it('--mode auto: a small set (320 training rows < 400) trains few-shot, a servable bundle with the prior blended in', async () => {
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
    const out = path.join(dir, 'few-shot');
    const card = await trainTextModel({
      data: spec(),
      options: opts('few-shot', { mode: 'auto', quantize: false }),
      logger,
    });
    expect(card.mode).toBe('few-shot');
    expect(card.version).toMatch(/^use-lite-few-shot-/);
    expect(card.head).toMatchObject({ unigrams: false, bigramBuckets: 0 });
    expect(logs.some((l) => l.includes('--mode auto: few-shot (320 training rows'))).toBe(true);
    // The head of a trained TF.js loop and the few-shot fit on the same split: the prior must not cost quality.
    const trained = await trainTextModel({
      data: spec(),
      options: opts('few-shot-vs-head', { mode: 'head', head: { bags: 'off' }, quantize: false }),
      logger: silentLogger(),
    });
    expect(card.metrics.overall.rocAuc).toBeGreaterThan(trained.metrics.overall.rocAuc! - 0.02);
    const engine = await createEngine({
      bundleDir: out,
      config: engineDefaults({ providers: ['cpu'] }),
      logger: silentLogger(),
    });
    const [risky, fine] = await engine.score([
      'Stale and tasteless, a waste of money. I want a refund.',
      'Delicious and fresh, my kids love it, will buy again.',
    ]);
    expect(risky.probability).toBeGreaterThan(fine.probability);
    await engine.dispose();
  });

  it('refuses a split with too few rows of one class before training, naming the counts, and writes nothing', async () => {
    const reviews = (await loadReviews()).slice(0, 400);
    const few = path.join(dir, 'two-positives.csv');
    const pos = reviews.filter((r) => r.score === 'other').slice(0, 2);
    const neg = reviews.filter((r) => r.score !== 'other').slice(0, 30);
    const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
    fs.writeFileSync(few, `review,score\n${[...pos, ...neg].map((r) => `${quote(r.review)},${r.score}`).join('\n')}\n`);
    const run = trainTextModel({
      data: [{ file: few, textCol: 'review', labelCol: 'score', positive: ['other'] }],
      options: opts('too-few', { mode: 'few-shot' }),
      logger: silentLogger(),
    });
    await expect(run).rejects.toBeInstanceOf(ValidationError);
    await expect(run).rejects.toThrow(/two-positives\.csv: too few rows of one class .* 2 positive \/ 24 negative/);
    expect(fs.existsSync(path.join(dir, 'too-few'))).toBe(false);
  });

  it('refuses an existing output directory and leaves it untouched', async () => {
    const out = path.join(dir, 'exists');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'x');
    await expect(
      trainTextModel({ data: spec(), options: opts('exists'), logger: silentLogger() }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
  });

  it('refuses bad data before training and writes nothing', async () => {
    await expect(
      trainTextModel({ data: [{ ...spec()[0], textCol: 'body' }], options: opts('nothing'), logger: silentLogger() }),
    ).rejects.toThrow(DataFileError);
    expect(fs.existsSync(path.join(dir, 'nothing'))).toBe(false);
  });

  it('resumes an interrupted run from its epoch checkpoint', async () => {
    const abort = new AbortController();
    const options = opts('resumed', { epochs: 6, patience: 10 });
    const run = trainTextModel({
      data: spec(),
      options,
      logger: silentLogger(),
      signal: abort.signal,
      onEpoch: (r) => (r.epoch === 1 ? abort.abort() : undefined),
    });
    await expect(run).rejects.toBeInstanceOf(TrainingInterruptedError);
    expect(fs.existsSync(path.join(dir, 'resumed'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'resumed.checkpoint'))).toBe(true);
    await expect(trainTextModel({ data: spec(), options, logger: silentLogger() })).rejects.toThrow(/--resume/);
    const epochs: number[] = [];
    const card = await trainTextModel({
      data: spec(),
      options: { ...options, resume: true },
      logger: silentLogger(),
      onEpoch: (r) => epochs.push(r.epoch),
    });
    expect(epochs[0]).toBe(2);
    expect(card.training.history.map((h) => h.epoch)).toEqual(
      [0, 1, 2, 3, 4, 5].slice(0, card.training.history.length),
    );
  });
});
