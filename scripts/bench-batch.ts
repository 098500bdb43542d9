// bench:batch — `churnscope score` end to end on a dump of shuffled real reviews, next to the engine's raw ceiling on the same texts; then peak RSS at 100k vs 1M rows. Prints JSON.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';
import seedrandom from 'seedrandom';
import { engineDefaults } from '../src/config';
import { createEngine } from '../src/engine';
import { createLogger } from '../src/logging';
import { writeTinyBundle } from '../test/helpers/tiny-bundle';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 1_000_000);
const CEILING_SAMPLE = Number(process.env.BENCH_CEILING_SAMPLE ?? 3_000);
/** Rows of the int8-vs-fp32 comparison: both precisions score the same dump, one after the other, twice. */
const PRECISION_ROWS = Number(process.env.BENCH_PRECISION_ROWS ?? 5_000);
const MODEL_DIR = path.resolve('models/default');
const REVIEWS = path.resolve('fixtures/data/fine_foods_train.csv');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-batch-'));
const started = performance.now();
const log = (msg: string) =>
  process.stderr.write(`[bench:batch ${((performance.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Repeats and shuffles the real reviews into an n-row CSV, streamed so the 1M-row file never sits in memory. */
async function writeDump(file: string, n: number, reviews: string[]): Promise<void> {
  const rng = seedrandom(`dump-${n}`);
  const out = fs.createWriteStream(file);
  const csv = stringify({ header: true, columns: ['id', 'review'] });
  csv.pipe(out);
  for (let i = 0; i < n; i++) {
    if (!csv.write([`r${i}`, reviews[Math.floor(rng() * reviews.length)]]))
      await new Promise<void>((r) => csv.once('drain', () => r()));
  }
  csv.end();
  await new Promise<void>((r) => out.once('finish', () => r()));
}

/** Runs the CLI as a child and samples its peak RSS (VmHWM) from /proc. */
async function scoreCli(opts: {
  input: string;
  model: string;
  precision?: 'fp32' | 'int8';
}): Promise<{ seconds: number; rowsPerSecond: number; peakRssMb: number; summary: Record<string, unknown> }> {
  const output = path.join(work, `scored-${path.basename(opts.input)}`);
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      'bin/churnscope.js',
      'score',
      '--in',
      opts.input,
      '--out',
      output,
      '--text-col',
      'review',
      '--id-col',
      'id',
      '--model',
      opts.model,
      ...(opts.precision ? ['--precision', opts.precision] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  let peakKb = 0;
  const sample = () => {
    const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (m) peakKb = Math.max(peakKb, Number(m[1]));
  };
  const timer = setInterval(() => {
    try {
      sample();
    } catch {
      // the process has just exited
    }
  }, 200);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearInterval(timer);
  if (code !== 0) throw new Error(`churnscope score exited with ${code}`);
  const summary = JSON.parse(stdout) as Record<string, unknown> & { scored: number };
  const seconds = (performance.now() - t0) / 1000;
  fs.rmSync(output, { force: true });
  return { seconds: r1(seconds), rowsPerSecond: r1(summary.scored / seconds), peakRssMb: r1(peakKb / 1024), summary };
}

/** The engine alone on a random sample of the dump's texts: what no batch pipeline can beat on this machine. */
async function engineCeiling(texts: string[]): Promise<number> {
  const engine = await createEngine({
    bundleDir: MODEL_DIR,
    config: engineDefaults({ providers: ['cpu'] }),
    logger: createLogger({ level: 'warn' }),
  });
  try {
    await engine.score(texts.slice(0, 64)); // warm-up
    const t0 = performance.now();
    await engine.score(texts); // all queued at once: the batcher packs them as tightly as it can
    return texts.length / ((performance.now() - t0) / 1000);
  } finally {
    await engine.dispose();
  }
}

/** int8 vs fp32 through the same CLI on the same dump, interleaved (fp32, int8, int8, fp32) so drift in load cancels. */
async function precisionRun(reviews: string[]) {
  const dump = path.join(work, `dump-precision-${PRECISION_ROWS}.csv`);
  await writeDump(dump, PRECISION_ROWS, reviews);
  const runs = { fp32: [] as number[], int8: [] as number[] };
  for (const precision of ['fp32', 'int8', 'int8', 'fp32'] as const) {
    log(`churnscope score --precision ${precision} on ${PRECISION_ROWS} rows`);
    runs[precision].push((await scoreCli({ input: dump, model: MODEL_DIR, precision })).rowsPerSecond);
  }
  const mean = (xs: number[]) => r1(xs.reduce((a, b) => a + b, 0) / xs.length);
  const ratio = Math.round((mean(runs.int8) / mean(runs.fp32)) * 100) / 100;
  return {
    rows: PRECISION_ROWS,
    fp32: { rowsPerSecond: mean(runs.fp32), runs: runs.fp32 },
    int8: { rowsPerSecond: mean(runs.int8), runs: runs.int8 },
    ratio,
    target: 1.8,
    met: ratio >= 1.8,
  };
}

async function main(): Promise<void> {
  const reviews = parse<{ review: string }>(fs.readFileSync(REVIEWS), { columns: true }).map((r) => r.review);
  const dump = path.join(work, `dump-${ROWS}.csv`);
  await writeDump(dump, ROWS, reviews);
  const dumpTexts = parse<{ review: string }>(fs.readFileSync(dump), { columns: true }).map((r) => r.review);
  const rng = seedrandom('ceiling');
  const sample = Array.from({ length: CEILING_SAMPLE }, () => dumpTexts[Math.floor(rng() * dumpTexts.length)]);

  const precision = await precisionRun(reviews);
  log(`engine ceiling on ${CEILING_SAMPLE} texts drawn from the dump`);
  const ceilingBefore = await engineCeiling(sample);
  log(`churnscope score on ${ROWS} rows with the default model`);
  const real = await scoreCli({ input: dump, model: MODEL_DIR });
  // Measured on both sides of the long run, so a change in machine load shows up instead of skewing the ratio.
  const ceilingAfter = await engineCeiling(sample);
  const ceiling = (ceilingBefore + ceilingAfter) / 2;

  log(
    `memory: ${ROWS} vs ${BIG_ROWS} rows through the same pipeline with a bag-of-embeddings model (the default model would take hours for ${BIG_ROWS})`,
  );
  const tiny = await writeTinyBundle(path.join(work, 'tiny-model'));
  const small = await scoreCli({ input: dump, model: tiny });
  const bigDump = path.join(work, `dump-${BIG_ROWS}.csv`);
  await writeDump(bigDump, BIG_ROWS, reviews);
  const big = await scoreCli({ input: bigDump, model: tiny });

  const report = {
    bench: 'batch',
    machine: { cpus: os.cpus().length, node: process.version },
    precision,
    throughput: {
      rows: ROWS,
      model: 'models/default (precision auto)',
      endToEnd: {
        seconds: real.seconds,
        rowsPerSecond: real.rowsPerSecond,
        peakRssMb: real.peakRssMb,
        errors: real.summary.errors,
      },
      engineCeiling: {
        textsPerSecond: r1(ceiling),
        before: r1(ceilingBefore),
        after: r1(ceilingAfter),
        sample: CEILING_SAMPLE,
      },
      shareOfCeiling: Math.round((real.rowsPerSecond / ceiling) * 1000) / 1000,
      target: 0.85,
      met: real.rowsPerSecond / ceiling >= 0.85,
    },
    memory: {
      model: 'bag-of-embeddings (test/helpers/tiny-bundle.ts), same tokenizer, engine, reader and writer',
      [`rows${ROWS}`]: { peakRssMb: small.peakRssMb, rowsPerSecond: small.rowsPerSecond },
      [`rows${BIG_ROWS}`]: { peakRssMb: big.peakRssMb, rowsPerSecond: big.rowsPerSecond },
      growthMb: r1(big.peakRssMb - small.peakRssMb),
      targetPeakRssMb: 500,
      met:
        Math.max(small.peakRssMb, big.peakRssMb, real.peakRssMb) <= 500 &&
        big.peakRssMb - small.peakRssMb <= 0.1 * small.peakRssMb,
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main()
  .catch((e: unknown) => {
    process.stderr.write(`bench:batch failed: ${e instanceof Error ? (e.stack ?? e.message) : inspect(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(work, { recursive: true, force: true }));
