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
    /** Seconds per cell per round. */
    seconds: { type: 'string', default: '0.6' },
    /** Interleaved rounds over all cells. */
    rounds: { type: 'string', default: '3' },
    lengths: { type: 'string', default: '16,64,128,256' },
    batches: { type: 'string', default: '1,2,4,8,16' },
  },
});
const MODEL_DIR = path.resolve(flags.model);
const SECONDS = Number(flags.seconds);
const ROUNDS = Number(flags.rounds);
/** Real windows (file order = arrival order) in the mixed-length runs. */
const MIXED = Number(process.env.BENCH_MIXED_WINDOWS ?? 48);
const LENGTHS = flags.lengths.split(',').map(Number);
const BATCHES = flags.batches.split(',').map(Number);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const log = (msg: string) => process.stderr.write(`[bench:model-batch] ${msg}\n`);

/** Whole passes over `batches` until SECONDS have gone; sequences per second. */
async function throughput(model: TextModel, batches: Int32Array[][]): Promise<number> {
  let seqs = 0;
  const t0 = performance.now();
  // Whole passes, so a sample of mixed lengths is always priced in full, never by its shortest batches alone.
  do {
    for (const b of batches) {
      await model.run(b);
      seqs += b.length;
    }
  } while (performance.now() - t0 < SECONDS * 1000);
  return (seqs * 1000) / (performance.now() - t0);
}

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let s = 0; s < xs.length; s += size) out.push(xs.slice(s, s + size));
  return out;
}

interface Cell {
  precision: string;
  kind: 'equal' | 'arrival' | 'sorted';
  seqLen?: number;
  batch: number;
  batches: Int32Array[][];
  paddingFraction: number;
  samples: number[];
}

const padding = (batches: Int32Array[][]) => {
  const padded = batches.reduce((s, b) => s + Math.max(...b.map((w) => w.length)) * b.length, 0);
  const real = batches.reduce((s, b) => s + b.reduce((t, w) => t + w.length, 0), 0);
  return r2(padded / real - 1);
};

/**
 * Equal lengths (real ids tiled to the length: the pure effect of batch size, 16 sequences per pass at every size),
 * then real window lengths in arrival order (whatever arrived together, padded) and length-sorted.
 */
function cellsFor(precision: string, pool: Int32Array[], mixed: Int32Array[]): Cell[] {
  const cells: Cell[] = [];
  const add = (c: Omit<Cell, 'samples' | 'paddingFraction'>) =>
    cells.push({ ...c, paddingFraction: padding(c.batches), samples: [] });
  for (const len of LENGTHS) {
    const seqs = pool.map((w) => Int32Array.from({ length: len }, (_, i) => w[i % w.length]));
    for (const batch of BATCHES) add({ precision, kind: 'equal', seqLen: len, batch, batches: chunk(seqs, batch) });
  }
  const sorted = [...mixed].sort((a, b) => a.length - b.length);
  for (const batch of BATCHES) {
    add({ precision, kind: 'arrival', batch, batches: chunk(mixed, batch) });
    add({ precision, kind: 'sorted', batch, batches: chunk(sorted, batch) });
  }
  return cells;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

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
const models = new Map<string, TextModel>();
const cells: Cell[] = [];
try {
  for (const precision of precisions) {
    const config = engineDefaults({
      providers: ['cpu'],
      precision,
      threads: Number(flags.threads),
      ...(flags.workers === undefined ? {} : { workers: Number(flags.workers) }),
    });
    const plan = planModelFiles(MODEL_DIR, precision);
    const model = await openTextModel({ plan, config, logger });
    models.set(precision, model);
    for (const b of [windows.slice(0, 8), windows.slice(8, 16)]) await model.run(b); // warm-up: arenas, caches
    log(`${precision}: ${plan.cpu.file}, workers ${config.workers}, threads ${config.threads || 'auto'}`);
    cells.push(...cellsFor(precision, windows.slice(0, 16), windows.slice(0, MIXED)));
  }
  // Rounds interleave every cell, so a burst of load from other processes on a shared host hits all cells alike
  // instead of one; the best round is the least disturbed, the median the typical.
  for (let round = 0; round < ROUNDS; round++) {
    for (const cell of cells) cell.samples.push(await throughput(models.get(cell.precision)!, cell.batches));
    log(`round ${round + 1}/${ROUNDS} done`);
  }
} finally {
  for (const m of models.values()) await m.dispose();
}

function table(precision: string) {
  const of = (kind: Cell['kind']) => cells.filter((c) => c.precision === precision && c.kind === kind);
  const row = (c: Cell, single: Cell | undefined) => ({
    batch: c.batch,
    ...(c.seqLen === undefined ? { paddingFraction: c.paddingFraction } : { seqLen: c.seqLen }),
    seqPerSecBest: r1(Math.max(...c.samples)),
    seqPerSecMedian: r1(median(c.samples)),
    vsBatch1Best: single ? r2(Math.max(...c.samples) / Math.max(...single.samples)) : null,
  });
  const equal = of('equal');
  const singleOf = (c: Cell, pool: Cell[]) => pool.find((x) => x.batch === 1 && x.seqLen === c.seqLen);
  return {
    precision,
    equalLengths: equal.map((c) => row(c, singleOf(c, equal))),
    realArrivalOrder: of('arrival').map((c) => row(c, singleOf(c, of('arrival')))),
    realLengthSorted: of('sorted').map((c) => row(c, singleOf(c, of('arrival')))),
  };
}
const results = precisions.map(table);
const lengths = windows.map((w) => w.length).sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify(
    {
      machine: { cpus: os.cpus().length, node: process.version, loadavg1m: r1(os.loadavg()[0]) },
      model: flags.model,
      workers: flags.workers ?? 'default',
      threads: Number(flags.threads) || 'auto',
      secondsPerCellPerRound: SECONDS,
      rounds: ROUNDS,
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
