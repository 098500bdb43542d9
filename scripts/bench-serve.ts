// bench:serve — the real HTTP service under autocannon, next to a naive transformers.js server and the engine's raw ceiling; prints JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import autocannon from 'autocannon';
import { engineDefaults } from '../src/config';
import { createEngine, splitWindows } from '../src/engine';
import { readLabelledTexts } from '../src/ingest';
import { createLogger } from '../src/logging';
import { TextTokenizer } from '../src/tokenize';
import {
  benchLog,
  r1,
  r2,
  runningChildren,
  sleep,
  startServer,
  stopServer,
  type ServerChild,
} from './lib/bench-server';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const N = Number(process.env.BENCH_TEXTS ?? 500);
const MODEL_DIR = path.resolve('models/default');
const log = benchLog('serve');
const started = performance.now();

// A hung child or socket must not keep the benchmark alive: 12 timed runs plus generous start-up and drain time.
setTimeout(() => void finish(new Error('watchdog: over the time budget')), (SECONDS * 12 + 300) * 1000).unref();
process.once('SIGINT', () => void finish(new Error('interrupted')));
process.once('SIGTERM', () => void finish(new Error('terminated')));
process.once('uncaughtException', (e) => void finish(e));

type Target = ServerChild;

/** Server CPU seconds from /proc (Linux only, else null) and, for the real server, its batch-size histogram. */
async function snapshot(t: Target) {
  let cpuS: number | null = null;
  try {
    const f = fs.readFileSync(`/proc/${t.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    cpuS = (Number(f[11]) + Number(f[12])) / 100; // utime + stime, USER_HZ ticks
  } catch {
    /* not Linux */
  }
  const text = await fetch(`${t.base}/metrics`).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    cpuS,
    batchSum: metric('churnscope_engine_batch_size_sum'),
    batchCount: metric('churnscope_engine_batch_size_count'),
  };
}

async function load(
  t: Target,
  route: string,
  texts: string[],
  body: (text: string) => object,
  connections: number,
  seconds: number,
) {
  let next = 0;
  const [before, ownBefore] = [await snapshot(t), process.cpuUsage()];
  const res = await autocannon({
    url: t.base,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: route,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(body(texts[next++ % texts.length])) }),
      },
    ],
  });
  const [after, own] = [await snapshot(t), process.cpuUsage(ownBefore)];
  // Requests abandoned at the end are still being served; let them finish so they do not bill the next run.
  await sleep(Math.min(res.latency.p99 * 1.5, 30_000) + 500);
  const serverS = before.cpuS === null || after.cpuS === null ? null : after.cpuS - before.cpuS;
  const batches = after.batchCount - before.batchCount;
  const { p50, p97_5, p99, max } = res.latency;
  return {
    connections,
    requestsPerSecond: r1(res['2xx'] / res.duration),
    latencyMs: { p50, p97_5, p99, max },
    ok: res['2xx'],
    non2xx: res.non2xx,
    errors: res.errors,
    timeouts: res.timeouts,
    cpu: {
      serverMsPerRequest: serverS === null || !res['2xx'] ? null : r1((serverS * 1000) / res['2xx']),
      serverCores: serverS === null ? null : r2(serverS / res.duration),
      loadGeneratorCores: r2((own.user + own.system) / 1e6 / res.duration),
      ...(batches > 0 ? { meanBatch: r1((after.batchSum - before.batchSum) / batches) } : {}),
    },
  };
}
type Load = Awaited<ReturnType<typeof load>>;

async function sweep(
  name: string,
  t: Target,
  route: string,
  texts: string[],
  body: (text: string) => object,
): Promise<Load[]> {
  await load(t, route, texts, body, 16, 3); // warm-up (JIT, ORT arenas, SQLite pages), not reported
  const out: Load[] = [];
  for (const c of [1, 16, 64]) {
    log(`${name}: ${c} connection(s) for ${SECONDS} s`);
    out.push(await load(t, route, texts, body, c, SECONDS));
  }
  return out;
}

/**
 * Model throughput with nothing in the way: the server's windows of the same texts, length-sorted batches of 32, in
 * one precision (the server runs int8 on CPU; the naive fp32 peer runs model.onnx).
 */
async function rawCeiling(texts: string[], precision: 'int8' | 'fp32') {
  const config = engineDefaults({ precision });
  const tokenizer = await TextTokenizer.create({
    tokenizerJson: path.join(MODEL_DIR, 'tokenizer.json'),
    maxLength: config.maxTokens * config.maxWindows,
  });
  const windows = (await tokenizer.encodeBatch(texts))
    .flatMap(
      (t) =>
        splitWindows(t.ids, { size: config.maxTokens, overlap: config.windowOverlap, maxWindows: config.maxWindows })
          .windows,
    )
    .sort((a, b) => a.length - b.length);
  const batches: Int32Array[][] = [];
  for (let s = 0; s < windows.length; s += 32) batches.push(windows.slice(s, s + 32));
  const engine = await createEngine({ bundleDir: MODEL_DIR, config, logger: createLogger({ level: 'error' }) });
  try {
    for (const b of batches.slice(0, 4)) await engine.runTokenized(b);
    let passes = 0;
    const [t0, cpu0] = [performance.now(), process.cpuUsage()];
    while (passes === 0 || performance.now() - t0 < (SECONDS / 3) * 1000) {
      for (const b of batches) await engine.runTokenized(b);
      passes++;
    }
    const [seconds, cpu] = [(performance.now() - t0) / 1000, process.cpuUsage(cpu0)];
    // Cores obtained: well under 2 means the host took CPU from us, and every number in the run is low with it.
    return {
      provider: engine.provider,
      precision: engine.precision,
      texts: texts.length,
      windows: windows.length,
      passes,
      textsPerSecond: r1((passes * texts.length) / seconds),
      cores: r2((cpu.user + cpu.system) / 1e6 / seconds),
    };
  } finally {
    await engine.dispose();
  }
}

const loadStart = r1(os.loadavg()[0]);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churnscope-bench-'));
let finishing = false;
async function finish(err?: unknown): Promise<void> {
  if (finishing) return new Promise(() => {}); // a second caller waits for the first to exit the process
  finishing = true;
  if (err) log(`failed: ${err instanceof Error ? err.message : inspect(err)}`);
  await Promise.all(runningChildren().map((c) => stopServer(c)));
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.exit(err ? 1 : 0);
}

try {
  const rows = (
    await readLabelledTexts({
      file: 'fixtures/data/fine_foods_train.csv',
      textCol: 'review',
      labelCol: 'score',
      positive: ['other'],
    })
  ).rows;
  const texts = rows.slice(0, N).map((r) => r.text);
  log(`raw ceiling: ${texts.length} reviews through engine.runTokenized, int8 and fp32`);
  const raw = await rawCeiling(texts, 'int8');
  const rawFp32 = await rawCeiling(texts, 'fp32');

  log('real server (churnscope serve)');
  const real = await startServer(
    'churnscope serve',
    (p) => ['bin/churnscope.js', 'serve', '--port', String(p), '--db', path.join(tmp, 'bench.db')],
    { LOG_LEVEL: 'warn' },
  );
  const textOnly = await sweep('server explain:false', real, '/v1/score', texts, (text) => ({ text, explain: false }));
  const withDrivers = await sweep('server explain:default', real, '/v1/score', texts, (text) => ({ text }));
  await stopServer(real.child);

  log('naive transformers.js server');
  const naive = await startServer('naive server', () => ['--import', 'tsx', 'scripts/naive-transformers-server.ts'], {
    BUNDLE_DIR: MODEL_DIR,
  });
  const naiveRuns = await sweep('naive', naive, '/score', texts, (text) => ({ text }));
  await stopServer(naive.child);

  log('naive transformers.js server on the int8 file (dtype q8)');
  const naiveQ8 = await startServer(
    'naive q8 server',
    () => ['--import', 'tsx', 'scripts/naive-transformers-server.ts'],
    {
      BUNDLE_DIR: MODEL_DIR,
      DTYPE: 'q8',
    },
  );
  const naiveQ8Runs = await sweep('naive q8', naiveQ8, '/score', texts, (text) => ({ text }));
  await stopServer(naiveQ8.child);

  const at = (runs: Load[], c: number) => runs.find((x) => x.connections === c)!;
  const ratio = (a: Load[], b: Load[], c: number) => r2(at(a, c).requestsPerSecond / at(b, c).requestsPerSecond);
  const vsRaw = at(textOnly, 64).requestsPerSecond / raw.textsPerSecond;
  const p99c16 = at(textOnly, 16).latencyMs.p99;
  const goal = (value: number, target: number) => ({ ratio: value, target, met: value >= target });
  process.stdout.write(
    `${JSON.stringify(
      {
        machine: { cpus: os.cpus().length, node: process.version, loadavg1mStartEnd: [loadStart, r1(os.loadavg()[0])] },
        model: 'models/default',
        texts: texts.length,
        secondsPerRun: SECONDS,
        server: { explainFalse: textOnly, explainDefault: withDrivers },
        naiveTransformersJs: naiveRuns,
        naiveTransformersJsQ8: naiveQ8Runs,
        rawCeiling: raw,
        rawCeilingFp32: rawFp32,
        targets: {
          explainFalseVsNaiveFp32AtC16: goal(ratio(textOnly, naiveRuns, 16), 2),
          explainFalseVsNaiveFp32AtC64: goal(ratio(textOnly, naiveRuns, 64), 2),
          explainFalseVsNaiveQ8: [1, 16, 64].map((c) => ({
            connections: c,
            ...goal(ratio(textOnly, naiveQ8Runs, c), 1),
          })),
          defaultRequestVsNaiveFp32AtC16: goal(ratio(withDrivers, naiveRuns, 16), 1),
          explainFalseRefusedAtC64: { value: at(textOnly, 64).non2xx, target: 0, met: at(textOnly, 64).non2xx === 0 },
          defaultRequestRefusedAtC64: {
            value: at(withDrivers, 64).non2xx,
            target: 0,
            met: at(withDrivers, 64).non2xx === 0,
          },
          serverVsRawCeilingAtC64: { ratio: r2(vsRaw), target: 0.7, met: vsRaw >= 0.7 },
          p99AtC16Ms: { value: p99c16, target: 100, met: p99c16 <= 100 },
        },
      },
      null,
      2,
    )}\n`,
  );
  await finish();
} catch (e) {
  await finish(e);
}
