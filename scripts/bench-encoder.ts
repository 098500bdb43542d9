// bench:encoder — tokenizer, engine and TF.js throughput on real reviews, each next to its peer in the same run; prints JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineDefaults } from '../src/config';
import { BUNDLE_FILES } from '../src/bundle';
import { createEngine, modelFileProbabilities } from '../src/engine';
import { readLabelledTexts } from '../src/ingest';
import { createLogger } from '../src/logging';
import { TextTokenizer } from '../src/tokenize';
import { loadBundleWithTransformers } from '../onnx/bundle/load-with-transformers';
import { selectBackend } from '../training/backend';
import { embedIdRows } from '../training/encoders';
import { readUseLiteCheckpoint, UseLiteEncoder } from '../training/encoders/use-lite';
import { openFrozenEncoder } from '../training/pipeline/frozen-encoder';

const N = Number(process.env.BENCH_TEXTS ?? 2000);
const TF_TEXTS = Number(process.env.BENCH_TF_TEXTS ?? 256);
const logger = createLogger({ level: 'warn' });

async function timed<T>(fn: () => T | Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t0) / 1000, value };
}

const rows = (
  await readLabelledTexts({
    file: 'fixtures/data/fine_foods_train.csv',
    textCol: 'review',
    labelCol: 'score',
    positive: ['other'],
  })
).rows;
const texts = rows.slice(0, N).map((r) => r.text);

// The bundle under test: the bundled default model when present, else the pretrained encoder exported on the fly.
const defaultDir = path.resolve('models/default');
const bundleDir = fs.existsSync(path.join(defaultDir, 'onnx/model.onnx')) ? defaultDir : undefined;
const dir =
  bundleDir ??
  (await (async () => {
    const f = await openFrozenEncoder({ cacheDir: '.cache/churnscope', maxTokens: 256, logger });
    await f.engine.dispose();
    return path.resolve('.cache/churnscope/use-lite-base-1');
  })());

// (a) tokenizers vs transformers.js tokenizer, same tokenizer.json, same truncation.
const ours = await TextTokenizer.create({ tokenizerJson: path.join(dir, 'tokenizer.json'), maxLength: 256 });
const hf = await loadBundleWithTransformers(dir);
await ours.encodeBatch(texts.slice(0, 50));
for (const t of texts.slice(0, 50)) hf.tokenizer(t, { truncation: true, max_length: 256 });
const tokOurs = await timed(() => ours.encodeBatch(texts));
const tokHf = await timed(() => texts.map((t) => hf.tokenizer(t, { truncation: true, max_length: 256 })));
const tokens = tokOurs.value.reduce((n, t) => n + t.ids.length, 0);

// (b) engine (micro-batched, windows) vs transformers.js called once per text, same ONNX model.
const engine = await createEngine({ bundleDir: dir, config: engineDefaults({ providers: ['cpu'] }), logger });
await engine.score(texts.slice(0, 64));
const eng = await timed(async () => {
  const out = [];
  for (let s = 0; s < texts.length; s += 256) out.push(...(await engine.score(texts.slice(s, s + 256))));
  return out;
});
const engineTokens = eng.value.reduce((n, s) => n + s.tokens, 0);
await hf.embed(texts[0]);
const naive = await timed(async () => {
  for (const t of texts) await hf.embed(t);
});
await engine.dispose();
await hf.dispose();

// (b2) int8 vs fp32, same texts: through the engine, and raw ORT one sequence per call with 2 intra-op threads.
async function precisionSection() {
  if (!fs.existsSync(path.join(dir, BUNDLE_FILES.quantizedModel)))
    return { skipped: `no ${BUNDLE_FILES.quantizedModel}` };
  const ids = tokOurs.value.map((t) => t.ids);
  const enginePass = async (precision: 'fp32' | 'int8') => {
    const e = await createEngine({ bundleDir: dir, config: engineDefaults({ providers: ['cpu'], precision }), logger });
    await e.score(texts.slice(0, 64));
    const t = await timed(async () => {
      for (let s = 0; s < texts.length; s += 256) await e.score(texts.slice(s, s + 256));
    });
    await e.dispose();
    return texts.length / t.seconds;
  };
  const rawPass = async (file: string) => {
    const modelPath = path.join(dir, file);
    await modelFileProbabilities(ids.slice(0, 32), { modelPath, threads: 2, logger, batchSize: 1 });
    const t = await timed(() => modelFileProbabilities(ids, { modelPath, threads: 2, logger, batchSize: 1 }));
    return ids.length / t.seconds;
  };
  // Interleaved fp32, int8, int8, fp32 so a change in machine load falls on both sides.
  const e = { fp32: [await enginePass('fp32')], int8: [await enginePass('int8')] };
  e.int8.push(await enginePass('int8'));
  e.fp32.push(await enginePass('fp32'));
  const r = { fp32: [await rawPass(BUNDLE_FILES.model)], int8: [await rawPass(BUNDLE_FILES.quantizedModel)] };
  r.int8.push(await rawPass(BUNDLE_FILES.quantizedModel));
  r.fp32.push(await rawPass(BUNDLE_FILES.model));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const side = (xs: { fp32: number[]; int8: number[] }) => ({
    fp32: { textsPerSecond: mean(xs.fp32) },
    int8: { textsPerSecond: mean(xs.int8) },
    ratio: mean(xs.int8) / mean(xs.fp32),
  });
  return { engine: side(e), rawOrtOneSequencePerCall: { ...side(r), intraOpThreads: 2 }, target: 1.8 };
}
const precision = await precisionSection();

// (c) TF.js inference of the trainable port on the best available backend (slow on CPU: a subset).
const backend = await selectBackend({ logger });
const encoder = UseLiteEncoder.fromParams(await readUseLiteCheckpoint());
const sub = tokOurs.value
  .slice(0, TF_TEXTS)
  .map((t) => t.ids)
  .sort((a, b) => a.length - b.length);
const tfRun = await timed(async () => {
  for (let s = 0; s < sub.length; s += 32) await embedIdRows(encoder, sub.slice(s, s + 32));
});
encoder.dispose();

const tokenizerRatio = tokHf.seconds / tokOurs.seconds;
const engineRatio = naive.seconds / eng.seconds;
process.stdout.write(
  `${JSON.stringify(
    {
      machine: { cpus: os.cpus().length, node: process.version },
      texts: texts.length,
      model: bundleDir ? 'models/default' : 'pretrained encoder (no default bundle yet)',
      tokenizer: {
        tokenizers: { textsPerSecond: texts.length / tokOurs.seconds },
        transformersJs: { textsPerSecond: texts.length / tokHf.seconds },
        ratio: tokenizerRatio,
        target: 1.5,
        met: tokenizerRatio >= 1.5,
      },
      inference: {
        engine: {
          textsPerSecond: texts.length / eng.seconds,
          tokensPerSecond: engineTokens / eng.seconds,
          provider: 'cpu',
        },
        transformersJsPerText: {
          textsPerSecond: texts.length / naive.seconds,
          tokensPerSecond: tokens / naive.seconds,
        },
        ratio: engineRatio,
        target: 3,
        met: engineRatio >= 3,
      },
      precision,
      tfjs: { backend: backend.name, texts: sub.length, textsPerSecond: sub.length / tfRun.seconds },
    },
    null,
    2,
  )}\n`,
);
