// bench:overload — the real server driven open-loop at ~2x its measured saturation: refusals, accepted latency, RSS, health after; prints JSON.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { inspect, parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config';
import { readLabelledTexts } from '../src/ingest';
import { benchLog, r1, r3, sleep, startServer, stopServer, type ServerChild } from './lib/bench-server';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '60' },
    'saturation-seconds': { type: 'string', default: '10' },
    factor: { type: 'string', default: '2' },
    texts: { type: 'string', default: '500' },
    /** ONNX Runtime intra-op threads for the server (default: its own default, every core). */
    threads: { type: 'string' },
    /** Writes one line per request (sent at ms, status or error, latency ms) for a closer look. */
    dump: { type: 'string' },
  },
});
const SECONDS = Number(flags.seconds);
const SAT_SECONDS = Number(flags['saturation-seconds']);
const FACTOR = Number(flags.factor);
/** The server runs with the default server.maxQueueWaitMs (no config file, no CHURNSCOPE_MAX_QUEUE_WAIT_MS). */
const MAX_QUEUE_WAIT_MS = loadConfig({ env: {} }).server.maxQueueWaitMs;
const log = benchLog('overload');
let child: ChildProcess | undefined;

setTimeout(
  () => void finish(new Error('watchdog: over the time budget')),
  (SECONDS + SAT_SECONDS + 300) * 1000,
).unref();
process.once('SIGINT', () => void finish(new Error('interrupted')));

async function startChurnscope(db: string): Promise<ServerChild> {
  const threads = flags.threads === undefined ? [] : ['--threads', flags.threads];
  const server = await startServer(
    'churnscope serve',
    (port) => ['bin/churnscope.js', 'serve', '--port', String(port), '--db', db, ...threads],
    { LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn' },
  );
  child = server.child;
  return server;
}

/** Resident set size now and its high-water mark, in MiB, from /proc (Linux; null elsewhere). */
function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: r1(kb('VmRSS') / 1024), hwmMiB: r1(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** Closed loop at high concurrency: the most the server completes per second (its saturation throughput). */
async function saturation(
  base: string,
  bodies: string[],
): Promise<{ requestsPerSecond: number; p99Ms: number; refused: number }> {
  let next = 0;
  const res = await autocannon({
    url: base,
    connections: 64,
    duration: SAT_SECONDS,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/v1/score',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  await sleep(2000); // let abandoned requests finish before the next phase
  return { requestsPerSecond: r1(res['2xx'] / res.duration), p99Ms: res.latency.p99, refused: res.non2xx };
}

interface Outcome {
  status?: number;
  ms: number;
  error?: string;
  sentAtMs?: number;
}

/** One request on the keep-alive agent; the body is read to the end so latency covers the whole answer. */
function post(agent: http.Agent, port: number, body: string, id: string): Promise<Outcome> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/score',
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': id },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
        res.on('error', (e: NodeJS.ErrnoException) =>
          resolve({ ms: performance.now() - t0, error: e.code ?? e.message }),
        );
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ ms: performance.now() - t0, error: e.code ?? e.message }));
    req.end(body);
  });
}

/**
 * Open loop: request i leaves at t0 + i/rate whatever happened to the earlier ones, so a slow server faces the same
 * arrivals as a fast one (a closed loop would slow down with it and hide the overload).
 */
async function openLoop(port: number, pid: number, rate: number, bodies: string[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const outcomes: Promise<Outcome>[] = [];
  let peakRssMiB = 0;
  const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, memoryOf(pid)?.rssMiB ?? 0)), 250);
  const t0 = performance.now();
  const wallT0 = Date.now();
  const total = Math.round(rate * SECONDS);
  let lastLog = t0;
  while (outcomes.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    while (outcomes.length < due) {
      const sentAtMs = performance.now() - t0;
      outcomes.push(
        post(agent, port, bodies[outcomes.length % bodies.length], `overload-${outcomes.length}`).then((o) => ({
          ...o,
          sentAtMs,
        })),
      );
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`${outcomes.length} sent, ${memoryOf(pid)?.rssMiB ?? '?'} MiB RSS`);
    }
    await sleep(2);
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  const results = await Promise.all(outcomes);
  if (flags.dump)
    fs.writeFileSync(
      flags.dump,
      results
        .map((o) => `${wallT0 + Math.round(o.sentAtMs ?? 0)}\t${o.status ?? o.error}\t${Math.round(o.ms)}`)
        .join('\n'),
    );
  clearInterval(sampler);
  agent.destroy();
  return { results, sendSeconds, peakRssMiB };
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return r1(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

/** The server's model-time-per-batch histogram (sum and count, in seconds), to price "one batch". */
async function batchSeconds(base: string): Promise<{ sum: number; count: number }> {
  const text = await fetch(`${base}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const metric = (name: string) =>
    Number(new RegExp(`^churnscope_engine_batch_duration_seconds_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { sum: metric('sum'), count: metric('count') };
}

/** The server's own event-loop delay (prom-client's monitor), to tell server stalls from load-generator ones. */
async function eventLoopLag(base: string) {
  const text = await fetch(`${base}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const metric = (name: string) => {
    const v = Number(
      new RegExp(`^churnscope_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? NaN,
    );
    return Number.isFinite(v) ? r1(v * 1000) : null;
  };
  return { p50: metric('p50'), p99: metric('p99'), max: metric('max') };
}

async function healthAfter(base: string) {
  const healthz = (await fetch(`${base}/healthz`)).status;
  const readyz = await fetch(`${base}/readyz`).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as { queueDepth?: number },
  }));
  const t0 = performance.now();
  const score = await fetch(`${base}/v1/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'I am cancelling, support never answers' }),
  });
  const scored = (await score.json()) as { risk?: number };
  return {
    healthz,
    readyz: readyz.status,
    queueDepthAfter: readyz.body.queueDepth ?? null,
    score: {
      status: score.status,
      ms: r1(performance.now() - t0),
      risk: typeof scored.risk === 'number' ? r3(scored.risk) : null,
    },
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churnscope-overload-'));
let finishing = false;
async function finish(err?: unknown): Promise<void> {
  if (finishing) return;
  finishing = true;
  if (err) log(`failed: ${err instanceof Error ? err.message : inspect(err)}`);
  if (child) await stopServer(child, 15_000);
  fs.rmSync(tmp, { recursive: true, force: true });
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
  const bodies = rows.slice(0, Number(flags.texts)).map((r) => JSON.stringify({ text: r.text, explain: false }));
  const loadStart = r1(os.loadavg()[0]);
  log('starting churnscope serve (default model, temp database)');
  const server = await startChurnscope(path.join(tmp, 'overload.db'));
  const idle = memoryOf(server.pid);
  log('warm-up, then saturation (closed loop, 64 connections)');
  await saturation(server.base, bodies.slice(0, 50)).catch(() => undefined);
  const sat = await saturation(server.base, bodies);
  const rate = Math.max(1, Math.round(sat.requestsPerSecond * FACTOR));
  log(`saturation ${sat.requestsPerSecond} req/s; open loop at ${rate} req/s for ${SECONDS} s`);
  const batchesBefore = await batchSeconds(server.base);
  const run = await openLoop(server.port, server.pid, rate, bodies);
  const batchesAfter = await batchSeconds(server.base);
  const batchCount = batchesAfter.count - batchesBefore.count;
  const oneBatchMs = batchCount > 0 ? r1(((batchesAfter.sum - batchesBefore.sum) * 1000) / batchCount) : null;
  const by = (pred: (o: Outcome) => boolean) => run.results.filter(pred).length;
  const accepted = run.results
    .filter((o) => o.status !== undefined && o.status < 300)
    .map((o) => o.ms)
    .sort((a, b) => a - b);
  const refused = run.results
    .filter((o) => o.status === 503 || o.status === 429)
    .map((o) => o.ms)
    .sort((a, b) => a - b);
  // The promise admission control makes: an accepted request waits at most maxQueueWaitMs, plus the batch it runs in.
  const boundMs = oneBatchMs === null ? null : r1(MAX_QUEUE_WAIT_MS + oneBatchMs);
  const acceptedP99 = percentile(accepted, 99);
  const n = run.results.length;
  const fiveXx = by((o) => o.status !== undefined && o.status >= 500 && o.status !== 503);
  const dropped = by((o) => o.error !== undefined);
  const errorsByCode = run.results
    .filter((o) => o.error)
    .reduce<Record<string, number>>((m, o) => ({ ...m, [o.error!]: (m[o.error!] ?? 0) + 1 }), {});
  const lagMs = await eventLoopLag(server.base);
  const after = await healthAfter(server.base);
  const mem = memoryOf(server.pid);
  const report = {
    machine: { cpus: os.cpus().length, node: process.version, loadavg1mStartEnd: [loadStart, r1(os.loadavg()[0])] },
    model: 'models/default',
    body: '{text, explain:false}',
    admission: `server.maxQueueWaitMs ${MAX_QUEUE_WAIT_MS} ms (the default)`,
    serverThreads: flags.threads ?? 'default',
    saturation: { closedLoopConnections: 64, seconds: SAT_SECONDS, ...sat },
    overload: {
      factor: FACTOR,
      seconds: SECONDS,
      offeredRate: rate,
      sent: n,
      sendSeconds: r1(run.sendSeconds),
      acceptedRate: r1(accepted.length / SECONDS),
      accepted: accepted.length,
      share429: r3(by((o) => o.status === 429) / n),
      share503: r3(by((o) => o.status === 503) / n),
      otherStatuses: by((o) => o.status !== undefined && o.status >= 300 && o.status !== 429 && o.status !== 503),
      acceptedLatencyMs: {
        p50: percentile(accepted, 50),
        p90: percentile(accepted, 90),
        p99: percentile(accepted, 99),
        max: percentile(accepted, 100),
      },
      refusalLatencyMs: {
        p50: percentile(refused, 50),
        p90: percentile(refused, 90),
        p99: percentile(refused, 99),
        max: percentile(refused, 100),
      },
      acceptedBound: {
        maxQueueWaitMs: MAX_QUEUE_WAIT_MS,
        oneBatchMeanMs: oneBatchMs,
        batches: batchCount,
        boundMs,
        acceptedP99Ms: acceptedP99,
        met: boundMs !== null && acceptedP99 !== null && acceptedP99 <= boundMs,
      },
      fiveXxOtherThan503: fiveXx,
      droppedConnections: dropped,
      errorsByCode,
    },
    serverEventLoopLagMs: lagMs,
    serverMemoryMiB: {
      idleRss: idle?.rssMiB ?? null,
      peakRssSampled: run.peakRssMiB || null,
      peakRssHighWaterMark: mem?.hwmMiB ?? null,
    },
    after,
    checks: {
      zero5xx: fiveXx === 0,
      zeroDroppedConnections: dropped === 0,
      healthyAfter: after.healthz === 200 && after.readyz === 200 && after.score.status === 200,
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  await finish(Object.values(report.checks).every(Boolean) ? undefined : new Error('a check failed: see "checks"'));
} catch (e) {
  await finish(e);
}
