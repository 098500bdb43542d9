// bench:model-batch — model throughput per batch size and sequence length (equal lengths, then real mixed lengths padded), per precision; prints JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { engineDefaults } from '../src/config';
import { openTextModel, planModelFiles, splitWindows, type TextModel } from '../src/engine';
import { readLabelledTexts } from '../src/ingest';
import { createLogger } from '../src/logging';
import { TextTokenizer } from '../src/tokenize';

const { values: flags } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/default' },
    /** Worker threads as served (default: the config default); 0 measures the session in this thread. */
    workers: { type: 'string' },
    threads: { type: 'string', default: '0' },
    /** Seconds per measured cell. */
    seconds: { type: 'string', default: '1.5' },
    lengths: { type: 'string', default: '16,64,128,256' },
    batches: { type: 'string', default: '1,2,4,8,16' },
  },
});
const MODEL_DIR = path.resolve(flags.model);
const SECONDS = Number(flags.seconds);
/** Real windows (file order = arrival order) in the mixed-length runs. */
const MIXED = Number(process.env.BENCH_MIXED_WINDOWS ?? 96);
const LENGTHS = flags.lengths.split(',').map(Number);
const BATCHES = flags.batches.split(',').map(Number);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const log = (msg: string) => process.stderr.write(`[bench:model-batch] ${msg}\n`);

/** Whole passes over `batches` (after a warm-up call) until SECONDS have gone; returns sequences/s and ms per call. */
async function throughput(
  model: TextModel,
  batches: Int32Array[][],
): Promise<{ seqPerSec: number; msPerCall: number }> {
  await model.run(batches[0]);
  let seqs = 0;
  let calls = 0;
  const t0 = performance.now();
  // Whole passes, so a sample of mixed lengths is always priced in full, never by its shortest batches alone.
  do {
    for (const b of batches) {
      await model.run(b);
      seqs += b.length;
      calls++;
    }
  } while (performance.now() - t0 < SECONDS * 1000);
  const ms = performance.now() - t0;
  return { seqPerSec: r1((seqs * 1000) / ms), msPerCall: r2(ms / calls) };
}

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let s = 0; s < xs.length; s += size) out.push(xs.slice(s, s + size));
  return out;
}

/** Equal lengths: no padding, so the figure is the pure effect of batch size on cost per sequence. */
async function equalLengths(model: TextModel, pool: Int32Array[]) {
  const rows = [];
  for (const len of LENGTHS) {
    // Real ids, tiled to the length, so the model sees text-like input.
    const seqs = pool.map((w) => Int32Array.from({ length: len }, (_, i) => w[i % w.length]));
    // 16 sequences per pass at every batch size, so each cell prices the same work.
    let single = 0;
    for (const batch of BATCHES) {
      const r = await throughput(
        model,
        chunk(seqs, batch).filter((b) => b.length === batch),
      );
      if (batch === 1) single = r.seqPerSec;
      rows.push({
        seqLen: len,
        batch,
        ...r,
        tokensPerSec: Math.round(r.seqPerSec * len),
        vsBatch1: r2(r.seqPerSec / single),
      });
      log(`len ${len} batch ${batch}: ${r.seqPerSec} seq/s`);
    }
  }
  return rows;
}

/** Real window lengths in arrival order: what padding costs when a batch takes whatever arrived together. */
async function mixedLengths(model: TextModel, windows: Int32Array[]) {
  const rows = [];
  const sorted = [...windows].sort((a, b) => a.length - b.length);
  for (const batch of BATCHES) {
    const arrival = await throughput(model, chunk(windows, batch));
    const byLength = await throughput(model, chunk(sorted, batch));
    const padded = chunk(windows, batch).reduce((s, b) => s + Math.max(...b.map((w) => w.length)) * b.length, 0);
    const real = windows.reduce((s, w) => s + w.length, 0);
    rows.push({
      batch,
      arrivalOrder: arrival,
      lengthSorted: byLength,
      arrivalPaddingFraction: r2(padded / real - 1),
    });
    log(`mixed batch ${batch}: arrival ${arrival.seqPerSec}, sorted ${byLength.seqPerSec} seq/s`);
  }
  return rows;
}

const logger = createLogger({ level: 'warn' });
const rows = (
  await readLabelledTexts({
    file: 'fixtures/data/fine_foods_train.csv',
    textCol: 'review',
    labelCol: 'score',
    positive: ['other'],
  })
).rows.slice(0, 256);
const base = engineDefaults({ providers: ['cpu'], threads: Number(flags.threads) });
const tokenizer = await TextTokenizer.create({
  tokenizerJson: path.join(MODEL_DIR, 'tokenizer.json'),
  maxLength: base.maxTokens * base.maxWindows,
});
const windows = (await tokenizer.encodeBatch(rows.map((r) => r.text))).flatMap(
  (t) =>
    splitWindows(t.ids, { size: base.maxTokens, overlap: base.windowOverlap, maxWindows: base.maxWindows }).windows,
);
const hasInt8 = fs.existsSync(path.join(MODEL_DIR, 'onnx/model_quantized.onnx'));
const precisions = hasInt8 ? (['fp32', 'int8'] as const) : (['fp32'] as const);
const results = [];
for (const precision of precisions) {
  const config = engineDefaults({
    providers: ['cpu'],
    precision,
    threads: Number(flags.threads),
    ...(flags.workers === undefined ? {} : { workers: Number(flags.workers) }),
  });
  const plan = planModelFiles(MODEL_DIR, precision);
  const model = await openTextModel({ plan, config, logger });
  try {
    log(`${precision}: ${plan.cpu.file}, workers ${config.workers}, threads ${config.threads || 'auto'}`);
    results.push({
      precision,
      file: plan.cpu.file,
      equalLengths: await equalLengths(model, windows.slice(0, 16)),
      mixedLengths: await mixedLengths(model, windows.slice(0, MIXED)),
    });
  } finally {
    await model.dispose();
  }
}
const lengths = windows.map((w) => w.length).sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify(
    {
      machine: { cpus: os.cpus().length, node: process.version, loadavg1m: r1(os.loadavg()[0]) },
      model: flags.model,
      workers: flags.workers ?? 'default',
      threads: Number(flags.threads) || 'auto',
      secondsPerCell: SECONDS,
      realWindows: {
        count: windows.length,
        mixedSample: MIXED,
        p50: lengths[lengths.length >> 1],
        max: lengths[lengths.length - 1],
      },
      int8: hasInt8 ? 'measured' : 'bundle has no onnx/model_quantized.onnx',
      results,
    },
    null,
    2,
  )}\n`,
);
